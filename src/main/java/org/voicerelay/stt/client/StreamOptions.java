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
  private List<String> keyterms;
  private String roomId;
  private String jobId;
  private String agentId;
  private String priority;
  private Boolean endOfSpeechFinalize;

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

  public List<String> getKeyterms() {
    return keyterms;
  }

  /**
   * Terms the provider should listen for, merged after the provider's own keyterm option
   * ({@code keyterm}, {@code keyterms_prompt}, {@code additional_vocab}) without duplicates.
   * Change them on a live stream with {@link SpeechStream#updateKeyterms}.
   */
  public StreamOptions setKeyterms(List<String> keyterms) {
    this.keyterms = keyterms == null ? null : Keyterms.cleaned("keyterms", keyterms);
    return this;
  }

  public String getRoomId() {
    return roomId;
  }

  /** {@code X-LiveKit-Room-ID} for this stream's connections, over the client's. */
  public StreamOptions setRoomId(String roomId) {
    this.roomId = roomId;
    return this;
  }

  public String getJobId() {
    return jobId;
  }

  /** {@code X-LiveKit-Job-ID} for this stream's connections, over the client's. */
  public StreamOptions setJobId(String jobId) {
    this.jobId = jobId;
    return this;
  }

  public String getAgentId() {
    return agentId;
  }

  /** {@code X-LiveKit-Agent-ID} for this stream's connections, over the client's. */
  public StreamOptions setAgentId(String agentId) {
    this.agentId = agentId;
    return this;
  }

  public String getPriority() {
    return priority;
  }

  /** {@code X-LiveKit-Inference-Priority} for this stream's connections, over the client's. */
  public StreamOptions setPriority(String priority) {
    this.priority = priority;
    return this;
  }

  public Boolean getEndOfSpeechFinalize() {
    return endOfSpeechFinalize;
  }

  /**
   * Whether the stream's turn hook sends {@code session.finalize} at each end of speech its
   * voice-activity detector finds (the built-in {@link EnergyVoiceActivityDetector}, or one set
   * with {@link SpeechStream#turnDetector}). Unset: on for the models that end an utterance only
   * when the client asks (the Speechmatics family), off for the others.
   */
  public StreamOptions setEndOfSpeechFinalize(Boolean endOfSpeechFinalize) {
    this.endOfSpeechFinalize = endOfSpeechFinalize;
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
