package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.format.SnakeCase;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import io.vertx.codegen.annotations.GenIgnore;

/**
 * Options of Deepgram Nova ({@code nova-3}, {@code nova-3-medical}, {@code nova-2}, {@code nova-2-medical}, {@code nova-2-conversationalai}, {@code nova-2-phonecall}), with the names LiveKit sends in
 * {@code settings.extra}. Unset options are not sent, so the gateway's defaults apply (filler_words true, interim_results true, endpointing 25 ms).
 */
@DataObject
@JsonGen(publicConverter = false, jsonPropertyNameFormatter = SnakeCase.class)
public class DeepgramOptions extends ProviderOptions {

  private Boolean fillerWords;
  private Boolean interimResults;
  private Integer endpointing;
  private Boolean punctuate;
  private Boolean smartFormat;
  private JsonArray keywords;
  private List<String> keyterm;
  private Boolean profanityFilter;
  private Boolean numerals;
  private Boolean mipOptOut;
  private Boolean vadEvents;
  private Boolean diarize;
  private Boolean dictation;
  private Boolean detectLanguage;
  private Boolean noDelay;
  private Boolean utteranceEnd;
  private List<String> redact;
  private List<String> replace;
  private List<String> search;
  private List<String> tag;
  private Integer channels;
  private String version;
  private String callback;
  private String callbackMethod;
  private String extra;

  public DeepgramOptions() {
  }

  public DeepgramOptions(JsonObject json) {
    DeepgramOptionsConverter.fromJson(json, this);
  }

  @Override
  public ModelFamily family() {
    return ModelFamily.DEEPGRAM;
  }

  public Boolean getFillerWords() {
    return fillerWords;
  }

  /** {@code filler_words}: Filler words ("um", "uh") in transcripts. */
  public DeepgramOptions setFillerWords(Boolean fillerWords) {
    this.fillerWords = fillerWords;
    return this;
  }

  public Boolean getInterimResults() {
    return interimResults;
  }

  /** {@code interim_results}: Interim transcripts while speaking. */
  public DeepgramOptions setInterimResults(Boolean interimResults) {
    this.interimResults = interimResults;
    return this;
  }

  public Integer getEndpointing() {
    return endpointing;
  }

  /** {@code endpointing}: Silence in milliseconds that ends an utterance. */
  public DeepgramOptions setEndpointing(Integer endpointing) {
    this.endpointing = atLeast("endpointing", endpointing, 0);
    return this;
  }

  public Boolean getPunctuate() {
    return punctuate;
  }

  /** {@code punctuate}: Punctuation. */
  public DeepgramOptions setPunctuate(Boolean punctuate) {
    this.punctuate = punctuate;
    return this;
  }

  public Boolean getSmartFormat() {
    return smartFormat;
  }

  /** {@code smart_format}: Numbers, dates and the like formatted. */
  public DeepgramOptions setSmartFormat(Boolean smartFormat) {
    this.smartFormat = smartFormat;
    return this;
  }

  public JsonArray getKeywords() {
    return keywords;
  }

  /** {@code keywords}: Keywords with a boost, {@code [[term, boost], ...]} (Nova-2); see {@link #addKeyword}. */
  public DeepgramOptions setKeywords(JsonArray keywords) {
    this.keywords = keywords == null ? null : keywords.copy();
    return this;
  }

  public List<String> getKeyterm() {
    return keyterm;
  }

  /** {@code keyterm}: Key terms to listen for (Nova-3); the stream's keyterms are merged after these. */
  public DeepgramOptions setKeyterm(List<String> keyterm) {
    this.keyterm = keyterm == null ? null : List.copyOf(keyterm);
    return this;
  }

  public Boolean getProfanityFilter() {
    return profanityFilter;
  }

  /** {@code profanity_filter}: Profanity masked. */
  public DeepgramOptions setProfanityFilter(Boolean profanityFilter) {
    this.profanityFilter = profanityFilter;
    return this;
  }

  public Boolean getNumerals() {
    return numerals;
  }

  /** {@code numerals}: Numbers as digits. */
  public DeepgramOptions setNumerals(Boolean numerals) {
    this.numerals = numerals;
    return this;
  }

  public Boolean getMipOptOut() {
    return mipOptOut;
  }

  /** {@code mip_opt_out}: Opt out of the Deepgram Model Improvement Program. */
  public DeepgramOptions setMipOptOut(Boolean mipOptOut) {
    this.mipOptOut = mipOptOut;
    return this;
  }

  public Boolean getVadEvents() {
    return vadEvents;
  }

  /** {@code vad_events}: Speech-started events from the provider. */
  public DeepgramOptions setVadEvents(Boolean vadEvents) {
    this.vadEvents = vadEvents;
    return this;
  }

  public Boolean getDiarize() {
    return diarize;
  }

  /** {@code diarize}: Speaker ids on words. */
  public DeepgramOptions setDiarize(Boolean diarize) {
    this.diarize = diarize;
    return this;
  }

  public Boolean getDictation() {
    return dictation;
  }

  /** {@code dictation}: Spoken punctuation commands. */
  public DeepgramOptions setDictation(Boolean dictation) {
    this.dictation = dictation;
    return this;
  }

  public Boolean getDetectLanguage() {
    return detectLanguage;
  }

  /** {@code detect_language}: The language detected per utterance. */
  public DeepgramOptions setDetectLanguage(Boolean detectLanguage) {
    this.detectLanguage = detectLanguage;
    return this;
  }

  public Boolean getNoDelay() {
    return noDelay;
  }

  /** {@code no_delay}: Transcripts without waiting for more context. */
  public DeepgramOptions setNoDelay(Boolean noDelay) {
    this.noDelay = noDelay;
    return this;
  }

  public Boolean getUtteranceEnd() {
    return utteranceEnd;
  }

  /** {@code utterance_end}: An utterance-end event after the last word (a bool, as LiveKit types it). */
  public DeepgramOptions setUtteranceEnd(Boolean utteranceEnd) {
    this.utteranceEnd = utteranceEnd;
    return this;
  }

  public List<String> getRedact() {
    return redact;
  }

  /** {@code redact}: What to redact ({@code pci}, {@code ssn}, {@code numbers}, ...). */
  public DeepgramOptions setRedact(List<String> redact) {
    this.redact = redact == null ? null : List.copyOf(redact);
    return this;
  }

  public List<String> getReplace() {
    return replace;
  }

  /** {@code replace}: Replacements, as Deepgram takes them: {@code "find:replace"} strings. */
  public DeepgramOptions setReplace(List<String> replace) {
    this.replace = replace == null ? null : List.copyOf(replace);
    return this;
  }

  public List<String> getSearch() {
    return search;
  }

  /** {@code search}: Terms to search for. */
  public DeepgramOptions setSearch(List<String> search) {
    this.search = search == null ? null : List.copyOf(search);
    return this;
  }

  public List<String> getTag() {
    return tag;
  }

  /** {@code tag}: Tags for the provider's usage reports. */
  public DeepgramOptions setTag(List<String> tag) {
    this.tag = tag == null ? null : List.copyOf(tag);
    return this;
  }

  public Integer getChannels() {
    return channels;
  }

  /** {@code channels}: Audio channels. */
  public DeepgramOptions setChannels(Integer channels) {
    this.channels = atLeast("channels", channels, 1);
    return this;
  }

  public String getVersion() {
    return version;
  }

  /** {@code version}: Model version. */
  public DeepgramOptions setVersion(String version) {
    this.version = version;
    return this;
  }

  public String getCallback() {
    return callback;
  }

  /** {@code callback}: A URL Deepgram also posts its results to. */
  public DeepgramOptions setCallback(String callback) {
    this.callback = callback;
    return this;
  }

  public String getCallbackMethod() {
    return callbackMethod;
  }

  /** {@code callback_method}: The HTTP method of the callback ({@code POST} or {@code PUT}). */
  public DeepgramOptions setCallbackMethod(String callbackMethod) {
    this.callbackMethod = callbackMethod;
    return this;
  }

  public String getExtra() {
    return extra;
  }

  /** {@code extra}: Metadata of the caller's own ({@code key:value}) that Deepgram echoes back. */
  public DeepgramOptions setExtra(String extra) {
    this.extra = extra;
    return this;
  }

  /** Adds a keyword with a boost to {@code keywords}. */
  @GenIgnore
  public DeepgramOptions addKeyword(String term, double boost) {
    if (term == null || term.isBlank()) {
      throw new IllegalArgumentException("keywords: a keyword must be a non-empty string");
    }
    keywords = keywords == null ? new JsonArray() : keywords.copy();
    keywords.add(new JsonArray().add(term).add(boost));
    return this;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    DeepgramOptionsConverter.toJson(this, json);
    return json;
  }
}
