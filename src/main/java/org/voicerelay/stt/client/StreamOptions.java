package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.voicerelay.stt.audio.AudioFormat;
import org.voicerelay.stt.protocol.FallbackModel;

/**
 * Per-stream choices over the client's options: model, language, provider options (merged into
 * the client's {@code extra}), fallback models (replacing the client's), and the sample rate of
 * the audio the caller will write (else the client's session rate; the stream resamples). Streams
 * with different choices still share one client, its WebSocket client and its token signer.
 */
@DataObject
@JsonGen(publicConverter = false)
public class StreamOptions {

  private String model;
  private String language;
  private Integer inputSampleRate;
  private JsonObject extra;
  private List<FallbackModel> fallback;

  public StreamOptions() {
  }

  public StreamOptions(JsonObject json) {
    StreamOptionsConverter.fromJson(json, this);
    if (json.getValue("fallback") instanceof JsonArray entries) {
      List<FallbackModel> models = new ArrayList<>();
      entries.forEach(entry -> models.add(FallbackModel.fromJson(entry)));
      setFallback(models);
    }
  }

  public String getModel() {
    return model;
  }

  /** Any model string; {@code provider/model:lang} also sets the language unless one is set. */
  public StreamOptions setModel(String model) {
    this.model = model;
    return this;
  }

  public JsonObject getExtra() {
    return extra;
  }

  /** Provider options merged over the client's {@code extra} for this stream. */
  public StreamOptions setExtra(JsonObject extra) {
    this.extra = extra == null ? null : extra.copy();
    return this;
  }

  public List<FallbackModel> getFallback() {
    return fallback;
  }

  /** Fallback models for this stream, replacing the client's. */
  public StreamOptions setFallback(List<FallbackModel> fallback) {
    this.fallback = fallback == null ? null : List.copyOf(fallback);
    return this;
  }

  public String getLanguage() {
    return language;
  }

  public StreamOptions setLanguage(String language) {
    this.language = language;
    return this;
  }

  public Integer getInputSampleRate() {
    return inputSampleRate;
  }

  public StreamOptions setInputSampleRate(Integer inputSampleRate) {
    if (inputSampleRate != null) {
      AudioFormat.requireSupportedSampleRate("inputSampleRate", inputSampleRate);
    }
    this.inputSampleRate = inputSampleRate;
    return this;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    StreamOptionsConverter.toJson(this, json);
    if (fallback != null) {
      JsonArray fb = new JsonArray();
      fallback.forEach(m -> fb.add(m.toJson()));
      json.put("fallback", fb);
    }
    return json;
  }
}
