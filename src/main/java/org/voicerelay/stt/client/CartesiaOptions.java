package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.format.SnakeCase;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Options of Cartesia ({@code ink-whisper}, {@code ink-2}), with the names LiveKit sends in
 * {@code settings.extra}. Unset options are not sent. The turn options are {@code ink-2}'s.
 */
@DataObject
@JsonGen(publicConverter = false, jsonPropertyNameFormatter = SnakeCase.class)
public class CartesiaOptions extends ProviderOptions {

  private Double minVolume;
  private Double maxSilenceDurationSecs;
  private Double turnStartThreshold;
  private Double turnEagerEndThreshold;
  private Double turnEndThreshold;
  private Integer turnEndTimeoutMs;
  private List<String> keyterm;

  public CartesiaOptions() {
  }

  public CartesiaOptions(JsonObject json) {
    CartesiaOptionsConverter.fromJson(json, this);
  }

  @Override
  public ModelFamily family() {
    return ModelFamily.CARTESIA;
  }

  public Double getMinVolume() {
    return minVolume;
  }

  /** {@code min_volume}: Volume below which audio is taken as silence, 0..1. */
  public CartesiaOptions setMinVolume(Double minVolume) {
    this.minVolume = inRange("min_volume", minVolume, 0.0, 1.0);
    return this;
  }

  public Double getMaxSilenceDurationSecs() {
    return maxSilenceDurationSecs;
  }

  /** {@code max_silence_duration_secs}: Seconds of silence that end an utterance. */
  public CartesiaOptions setMaxSilenceDurationSecs(Double maxSilenceDurationSecs) {
    this.maxSilenceDurationSecs = atLeast("max_silence_duration_secs", maxSilenceDurationSecs, 0);
    return this;
  }

  public Double getTurnStartThreshold() {
    return turnStartThreshold;
  }

  /** {@code turn_start_threshold}: Confidence that a turn started, 0..1 ({@code ink-2}). */
  public CartesiaOptions setTurnStartThreshold(Double turnStartThreshold) {
    this.turnStartThreshold = inRange("turn_start_threshold", turnStartThreshold, 0.0, 1.0);
    return this;
  }

  public Double getTurnEagerEndThreshold() {
    return turnEagerEndThreshold;
  }

  /** {@code turn_eager_end_threshold}: Confidence from which an eager end of turn is sent, 0..1 ({@code ink-2}). */
  public CartesiaOptions setTurnEagerEndThreshold(Double turnEagerEndThreshold) {
    this.turnEagerEndThreshold = inRange("turn_eager_end_threshold", turnEagerEndThreshold, 0.0, 1.0);
    return this;
  }

  public Double getTurnEndThreshold() {
    return turnEndThreshold;
  }

  /** {@code turn_end_threshold}: Confidence that ends a turn, 0..1 ({@code ink-2}). */
  public CartesiaOptions setTurnEndThreshold(Double turnEndThreshold) {
    this.turnEndThreshold = inRange("turn_end_threshold", turnEndThreshold, 0.0, 1.0);
    return this;
  }

  public Integer getTurnEndTimeoutMs() {
    return turnEndTimeoutMs;
  }

  /** {@code turn_end_timeout_ms}: Milliseconds of silence after which a turn ends ({@code ink-2}). */
  public CartesiaOptions setTurnEndTimeoutMs(Integer turnEndTimeoutMs) {
    this.turnEndTimeoutMs = atLeast("turn_end_timeout_ms", turnEndTimeoutMs, 0);
    return this;
  }

  public List<String> getKeyterm() {
    return keyterm;
  }

  /** {@code keyterm}: Key terms to listen for; the stream's keyterms are merged after these. */
  public CartesiaOptions setKeyterm(List<String> keyterm) {
    this.keyterm = keyterm == null ? null : List.copyOf(keyterm);
    return this;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    CartesiaOptionsConverter.toJson(this, json);
    return json;
  }
}
