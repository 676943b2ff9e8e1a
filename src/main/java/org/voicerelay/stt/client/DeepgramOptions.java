package org.voicerelay.stt.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Deepgram options. Unset options are not sent, so the gateway's defaults apply (filler_words
 * true, interim_results true, endpointing 25 ms).
 */
public class DeepgramOptions extends ProviderOptions<DeepgramOptions> {

  public DeepgramOptions() {
  }

  public DeepgramOptions(JsonObject json) {
    super(json);
  }

  public DeepgramOptions setFillerWords(Boolean v) { return set("filler_words", v); }
  public DeepgramOptions setInterimResults(Boolean v) { return set("interim_results", v); }
  /** Silence in milliseconds that ends an utterance. */
  public DeepgramOptions setEndpointing(Integer ms) { return set("endpointing", ms); }
  public DeepgramOptions setPunctuate(Boolean v) { return set("punctuate", v); }
  public DeepgramOptions setSmartFormat(Boolean v) { return set("smart_format", v); }
  public DeepgramOptions setProfanityFilter(Boolean v) { return set("profanity_filter", v); }
  public DeepgramOptions setNumerals(Boolean v) { return set("numerals", v); }
  public DeepgramOptions setMipOptOut(Boolean v) { return set("mip_opt_out", v); }
  public DeepgramOptions setVadEvents(Boolean v) { return set("vad_events", v); }
  public DeepgramOptions setDiarize(Boolean v) { return set("diarize", v); }
  public DeepgramOptions setDictation(Boolean v) { return set("dictation", v); }
  public DeepgramOptions setDetectLanguage(Boolean v) { return set("detect_language", v); }
  public DeepgramOptions setNoDelay(Boolean v) { return set("no_delay", v); }
  public DeepgramOptions setKeyterms(List<String> terms) {
    return set("keyterm", terms == null ? null : new JsonArray(List.copyOf(terms)));
  }

  /** Keywords with a boost, sent as {@code [[term, boost], ...]}. */
  public DeepgramOptions addKeyword(String term, double boost) {
    JsonArray keywords = values.getJsonArray("keywords");
    if (keywords == null) {
      keywords = new JsonArray();
      values.put("keywords", keywords);
    }
    keywords.add(new JsonArray().add(term).add(boost));
    return this;
  }

  public DeepgramOptions setRedact(List<String> v) {
    return set("redact", v == null ? null : new JsonArray(List.copyOf(v)));
  }

  public DeepgramOptions setTag(List<String> v) {
    return set("tag", v == null ? null : new JsonArray(List.copyOf(v)));
  }
}
