package org.voicerelay.stt.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * AssemblyAI options. Unset options are not sent, so the gateway's defaults apply (format_turns
 * false, end_of_turn_confidence_threshold 0.01, min_end_of_turn_silence_when_confident 0).
 */
public class AssemblyAiOptions extends ProviderOptions<AssemblyAiOptions> {

  public AssemblyAiOptions() {
  }

  public AssemblyAiOptions(JsonObject json) {
    super(json);
  }

  public AssemblyAiOptions setFormatTurns(Boolean v) { return set("format_turns", v); }
  public AssemblyAiOptions setEndOfTurnConfidenceThreshold(Double v) { return set("end_of_turn_confidence_threshold", v); }
  public AssemblyAiOptions setMinEndOfTurnSilenceWhenConfident(Integer ms) { return set("min_end_of_turn_silence_when_confident", ms); }
  public AssemblyAiOptions setMaxTurnSilence(Integer ms) { return set("max_turn_silence", ms); }
  public AssemblyAiOptions setKeytermsPrompt(List<String> terms) {
    return set("keyterms_prompt", terms == null ? null : new JsonArray(List.copyOf(terms)));
  }
  public AssemblyAiOptions setLanguageDetection(Boolean v) { return set("language_detection", v); }
  public AssemblyAiOptions setInactivityTimeout(Integer seconds) { return set("inactivity_timeout", seconds); }
  public AssemblyAiOptions setPrompt(String v) { return set("prompt", v); }
  public AssemblyAiOptions setSpeakerLabels(Boolean v) { return set("speaker_labels", v); }
}
