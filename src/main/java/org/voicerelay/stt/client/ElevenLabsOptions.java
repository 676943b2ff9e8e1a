package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.format.SnakeCase;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * Options of ElevenLabs ({@code scribe_v2_realtime}), with the names LiveKit sends in
 * {@code settings.extra}. Unset options are not sent.
 */
@DataObject
@JsonGen(publicConverter = false, jsonPropertyNameFormatter = SnakeCase.class)
public class ElevenLabsOptions extends ProviderOptions {

  private String commitStrategy;
  private Boolean includeTimestamps;
  private Double vadSilenceThresholdSecs;
  private Double vadThreshold;
  private Integer minSpeechDurationMs;
  private Integer minSilenceDurationMs;
  private String languageCode;

  public ElevenLabsOptions() {
  }

  public ElevenLabsOptions(JsonObject json) {
    ElevenLabsOptionsConverter.fromJson(json, this);
  }

  @Override
  public ModelFamily family() {
    return ModelFamily.ELEVENLABS;
  }

  public String getCommitStrategy() {
    return commitStrategy;
  }

  /** {@code commit_strategy}: When a transcript is committed: {@code vad} (by voice activity) or {@code manual}. */
  public ElevenLabsOptions setCommitStrategy(String commitStrategy) {
    this.commitStrategy = oneOf("commit_strategy", commitStrategy, "manual", "vad");
    return this;
  }

  public Boolean getIncludeTimestamps() {
    return includeTimestamps;
  }

  /** {@code include_timestamps}: Word timings in transcripts. */
  public ElevenLabsOptions setIncludeTimestamps(Boolean includeTimestamps) {
    this.includeTimestamps = includeTimestamps;
    return this;
  }

  public Double getVadSilenceThresholdSecs() {
    return vadSilenceThresholdSecs;
  }

  /** {@code vad_silence_threshold_secs}: Seconds of silence the provider's VAD takes as the end of speech. */
  public ElevenLabsOptions setVadSilenceThresholdSecs(Double vadSilenceThresholdSecs) {
    this.vadSilenceThresholdSecs = atLeast("vad_silence_threshold_secs", vadSilenceThresholdSecs, 0);
    return this;
  }

  public Double getVadThreshold() {
    return vadThreshold;
  }

  /** {@code vad_threshold}: Speech probability from which the provider's VAD hears speech, 0..1. */
  public ElevenLabsOptions setVadThreshold(Double vadThreshold) {
    this.vadThreshold = inRange("vad_threshold", vadThreshold, 0.0, 1.0);
    return this;
  }

  public Integer getMinSpeechDurationMs() {
    return minSpeechDurationMs;
  }

  /** {@code min_speech_duration_ms}: Shortest speech the VAD counts, in milliseconds. */
  public ElevenLabsOptions setMinSpeechDurationMs(Integer minSpeechDurationMs) {
    this.minSpeechDurationMs = atLeast("min_speech_duration_ms", minSpeechDurationMs, 0);
    return this;
  }

  public Integer getMinSilenceDurationMs() {
    return minSilenceDurationMs;
  }

  /** {@code min_silence_duration_ms}: Shortest silence the VAD counts, in milliseconds. */
  public ElevenLabsOptions setMinSilenceDurationMs(Integer minSilenceDurationMs) {
    this.minSilenceDurationMs = atLeast("min_silence_duration_ms", minSilenceDurationMs, 0);
    return this;
  }

  public String getLanguageCode() {
    return languageCode;
  }

  /** {@code language_code}: Language of the audio (ISO 639). */
  public ElevenLabsOptions setLanguageCode(String languageCode) {
    this.languageCode = languageCode;
    return this;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    ElevenLabsOptionsConverter.toJson(this, json);
    return json;
  }
}
