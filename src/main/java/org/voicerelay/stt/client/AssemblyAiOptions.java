package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.format.SnakeCase;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Options of AssemblyAI ({@code universal-streaming}, {@code universal-streaming-multilingual}, {@code u3-rt-pro}, {@code universal-3-5-pro}), with the names LiveKit sends in
 * {@code settings.extra}. Unset options are not sent, so the gateway's defaults apply (format_turns false, end_of_turn_confidence_threshold 0.01, min_end_of_turn_silence_when_confident 0). The U3 Pro models ({@code u3-rt-pro}, {@code universal-3-5-pro}) also take the agent's replies as {@code agent_context} (see {@link SpeechStream#addAgentContext}).
 */
@DataObject
@JsonGen(publicConverter = false, jsonPropertyNameFormatter = SnakeCase.class)
public class AssemblyAiOptions extends ProviderOptions {

  private Boolean formatTurns;
  private Double endOfTurnConfidenceThreshold;
  private Integer minEndOfTurnSilenceWhenConfident;
  private Integer maxTurnSilence;
  private List<String> keytermsPrompt;
  private Boolean languageDetection;
  private Double inactivityTimeout;
  private String prompt;
  private Boolean speakerLabels;
  private String agentContext;
  private Integer previousContextNTurns;
  private String voiceFocus;
  private Double voiceFocusThreshold;
  private String mode;

  public AssemblyAiOptions() {
  }

  public AssemblyAiOptions(JsonObject json) {
    AssemblyAiOptionsConverter.fromJson(json, this);
  }

  @Override
  public ModelFamily family() {
    return ModelFamily.ASSEMBLYAI;
  }

  public Boolean getFormatTurns() {
    return formatTurns;
  }

  /** {@code format_turns}: Punctuated, cased turns. */
  public AssemblyAiOptions setFormatTurns(Boolean formatTurns) {
    this.formatTurns = formatTurns;
    return this;
  }

  public Double getEndOfTurnConfidenceThreshold() {
    return endOfTurnConfidenceThreshold;
  }

  /** {@code end_of_turn_confidence_threshold}: Confidence that ends a turn, 0..1. */
  public AssemblyAiOptions setEndOfTurnConfidenceThreshold(Double endOfTurnConfidenceThreshold) {
    this.endOfTurnConfidenceThreshold = inRange("end_of_turn_confidence_threshold", endOfTurnConfidenceThreshold, 0.0, 1.0);
    return this;
  }

  public Integer getMinEndOfTurnSilenceWhenConfident() {
    return minEndOfTurnSilenceWhenConfident;
  }

  /** {@code min_end_of_turn_silence_when_confident}: Milliseconds of silence that end a confident turn. */
  public AssemblyAiOptions setMinEndOfTurnSilenceWhenConfident(Integer minEndOfTurnSilenceWhenConfident) {
    this.minEndOfTurnSilenceWhenConfident = atLeast("min_end_of_turn_silence_when_confident", minEndOfTurnSilenceWhenConfident, 0);
    return this;
  }

  public Integer getMaxTurnSilence() {
    return maxTurnSilence;
  }

  /** {@code max_turn_silence}: Milliseconds of silence that end a turn whatever the confidence. */
  public AssemblyAiOptions setMaxTurnSilence(Integer maxTurnSilence) {
    this.maxTurnSilence = atLeast("max_turn_silence", maxTurnSilence, 0);
    return this;
  }

  public List<String> getKeytermsPrompt() {
    return keytermsPrompt;
  }

  /** {@code keyterms_prompt}: Key terms to listen for; the stream's keyterms are merged after these. */
  public AssemblyAiOptions setKeytermsPrompt(List<String> keytermsPrompt) {
    this.keytermsPrompt = keytermsPrompt == null ? null : List.copyOf(keytermsPrompt);
    return this;
  }

  public Boolean getLanguageDetection() {
    return languageDetection;
  }

  /** {@code language_detection}: The language detected per turn (multilingual models). */
  public AssemblyAiOptions setLanguageDetection(Boolean languageDetection) {
    this.languageDetection = languageDetection;
    return this;
  }

  public Double getInactivityTimeout() {
    return inactivityTimeout;
  }

  /** {@code inactivity_timeout}: Seconds (a float) without audio after which the provider ends the session. */
  public AssemblyAiOptions setInactivityTimeout(Double inactivityTimeout) {
    this.inactivityTimeout = atLeast("inactivity_timeout", inactivityTimeout, 0);
    return this;
  }

  public String getPrompt() {
    return prompt;
  }

  /** {@code prompt}: A prompt that steers recognition (U3 Pro). */
  public AssemblyAiOptions setPrompt(String prompt) {
    this.prompt = prompt;
    return this;
  }

  public Boolean getSpeakerLabels() {
    return speakerLabels;
  }

  /** {@code speaker_labels}: Speaker ids on turns. */
  public AssemblyAiOptions setSpeakerLabels(Boolean speakerLabels) {
    this.speakerLabels = speakerLabels;
    return this;
  }

  public String getAgentContext() {
    return agentContext;
  }

  /** {@code agent_context}: What the agent last said (U3 Pro); the stream fills it from {@link SpeechStream#addAgentContext}. */
  public AssemblyAiOptions setAgentContext(String agentContext) {
    this.agentContext = agentContext;
    return this;
  }

  public Integer getPreviousContextNTurns() {
    return previousContextNTurns;
  }

  /** {@code previous_context_n_turns}: Earlier turns the provider keeps as context (U3 Pro). */
  public AssemblyAiOptions setPreviousContextNTurns(Integer previousContextNTurns) {
    this.previousContextNTurns = atLeast("previous_context_n_turns", previousContextNTurns, 0);
    return this;
  }

  public String getVoiceFocus() {
    return voiceFocus;
  }

  /** {@code voice_focus}: Isolate the primary voice: {@code near-field} or {@code far-field} (U3 Pro). */
  public AssemblyAiOptions setVoiceFocus(String voiceFocus) {
    this.voiceFocus = oneOf("voice_focus", voiceFocus, "near-field", "far-field");
    return this;
  }

  public Double getVoiceFocusThreshold() {
    return voiceFocusThreshold;
  }

  /** {@code voice_focus_threshold}: How strongly other voices are damped, 0..1 (U3 Pro). */
  public AssemblyAiOptions setVoiceFocusThreshold(Double voiceFocusThreshold) {
    this.voiceFocusThreshold = inRange("voice_focus_threshold", voiceFocusThreshold, 0.0, 1.0);
    return this;
  }

  public String getMode() {
    return mode;
  }

  /** {@code mode}: Accuracy against latency: {@code min_latency}, {@code balanced} or {@code max_accuracy} (U3 Pro). */
  public AssemblyAiOptions setMode(String mode) {
    this.mode = oneOf("mode", mode, "min_latency", "balanced", "max_accuracy");
    return this;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    AssemblyAiOptionsConverter.toJson(this, json);
    return json;
  }
}
