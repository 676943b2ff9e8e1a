package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.format.SnakeCase;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Options of Inworld ({@code inworld-stt-1}), with the names and value types LiveKit sends in
 * {@code settings.extra}. Unset options are not sent, so the gateway's defaults apply
 * (enable_voice_profile true, voice_profile_top_n 10, include_word_timestamps true, audio_encoding
 * LINEAR16, end_of_turn_confidence_threshold 0.5, vad_threshold 0.5).
 */
@DataObject
@JsonGen(publicConverter = false, jsonPropertyNameFormatter = SnakeCase.class)
public class InworldOptions extends ProviderOptions {

  private Boolean enableVoiceProfile;
  private Integer voiceProfileTopN;
  private Boolean includeWordTimestamps;
  private String audioEncoding;
  private Integer inactivityTimeoutSeconds;
  private Double endOfTurnConfidenceThreshold;
  private Integer minEndOfTurnSilenceWhenConfident;
  private List<String> prompts;
  private Double vadThreshold;

  public InworldOptions() {
  }

  public InworldOptions(JsonObject json) {
    InworldOptionsConverter.fromJson(json, this);
  }

  @Override
  public ModelFamily family() {
    return ModelFamily.INWORLD;
  }

  public Boolean getEnableVoiceProfile() {
    return enableVoiceProfile;
  }

  /** {@code enable_voice_profile}: Voice profile labels (age, emotion, ...) with transcripts. */
  public InworldOptions setEnableVoiceProfile(Boolean enableVoiceProfile) {
    this.enableVoiceProfile = enableVoiceProfile;
    return this;
  }

  public Integer getVoiceProfileTopN() {
    return voiceProfileTopN;
  }

  /** {@code voice_profile_top_n}: Most labels per voice profile category, 1..20. */
  public InworldOptions setVoiceProfileTopN(Integer voiceProfileTopN) {
    this.voiceProfileTopN = inRange("voice_profile_top_n", voiceProfileTopN, 1, 20);
    return this;
  }

  public Boolean getIncludeWordTimestamps() {
    return includeWordTimestamps;
  }

  /** {@code include_word_timestamps}: Word timings in transcripts. */
  public InworldOptions setIncludeWordTimestamps(Boolean includeWordTimestamps) {
    this.includeWordTimestamps = includeWordTimestamps;
    return this;
  }

  public String getAudioEncoding() {
    return audioEncoding;
  }

  /** {@code audio_encoding}: The encoding the gateway declares to Inworld: {@code LINEAR16} or {@code AUTO_DETECT}. */
  public InworldOptions setAudioEncoding(String audioEncoding) {
    this.audioEncoding = oneOf("audio_encoding", audioEncoding, "LINEAR16", "AUTO_DETECT");
    return this;
  }

  public Integer getInactivityTimeoutSeconds() {
    return inactivityTimeoutSeconds;
  }

  /** {@code inactivity_timeout_seconds}: Seconds of silence after which transcription stops; 0 never. */
  public InworldOptions setInactivityTimeoutSeconds(Integer inactivityTimeoutSeconds) {
    this.inactivityTimeoutSeconds = atLeast("inactivity_timeout_seconds", inactivityTimeoutSeconds, 0);
    return this;
  }

  public Double getEndOfTurnConfidenceThreshold() {
    return endOfTurnConfidenceThreshold;
  }

  /** {@code end_of_turn_confidence_threshold}: Confidence that ends a turn, 0..1. */
  public InworldOptions setEndOfTurnConfidenceThreshold(Double endOfTurnConfidenceThreshold) {
    this.endOfTurnConfidenceThreshold = inRange("end_of_turn_confidence_threshold", endOfTurnConfidenceThreshold, 0.0, 1.0);
    return this;
  }

  public Integer getMinEndOfTurnSilenceWhenConfident() {
    return minEndOfTurnSilenceWhenConfident;
  }

  /** {@code min_end_of_turn_silence_when_confident}: Milliseconds of silence that end a confident turn. */
  public InworldOptions setMinEndOfTurnSilenceWhenConfident(Integer minEndOfTurnSilenceWhenConfident) {
    this.minEndOfTurnSilenceWhenConfident = atLeast("min_end_of_turn_silence_when_confident", minEndOfTurnSilenceWhenConfident, 0);
    return this;
  }

  public List<String> getPrompts() {
    return prompts;
  }

  /** {@code prompts}: Hints of the domain (names, terms) for the model. */
  public InworldOptions setPrompts(List<String> prompts) {
    this.prompts = prompts == null ? null : List.copyOf(prompts);
    return this;
  }

  public Double getVadThreshold() {
    return vadThreshold;
  }

  /** {@code vad_threshold}: Speech probability from which the provider's VAD hears speech, 0..1. */
  public InworldOptions setVadThreshold(Double vadThreshold) {
    this.vadThreshold = inRange("vad_threshold", vadThreshold, 0.0, 1.0);
    return this;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    InworldOptionsConverter.toJson(this, json);
    return json;
  }
}
