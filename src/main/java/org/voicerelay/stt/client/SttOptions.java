package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.voicerelay.stt.audio.AudioFormat;
import org.voicerelay.stt.protocol.FallbackModel;
import org.voicerelay.stt.config.JsonTypes;
import org.voicerelay.stt.protocol.ModelName;

/**
 * Options of an {@link SttClient}: everything of the Python client's {@code STT} and the newest
 * clients, plus the stream's buffering limits.
 *
 * <p>The API secret is accepted from JSON and setters but never written by {@link #toJson()} or
 * {@link #toString()}; the key is shown, the secret is not. Credentials left unset here are read
 * from the environment when the client is created.
 */
@DataObject
@JsonGen(publicConverter = false)
public class SttOptions {

  /** Session sample rate sent to the gateway. */
  public static final int DEFAULT_SAMPLE_RATE = 16_000;
  public static final String DEFAULT_ENCODING = AudioFormat.ENCODING;
  /** Bytes queued toward the gateway before {@code writeQueueFull()} says so (about 2 s at 16 kHz). */
  public static final int DEFAULT_WRITE_QUEUE_MAX_SIZE = 64 * 1024;
  /** Bytes queued toward the gateway beyond which writes are refused (about 32 s at 16 kHz). */
  public static final int DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
  /**
   * Audio kept since the last final transcript, resent after a reconnect: 10 s, which covers
   * the utterances of a gateway that endpoints (finals every few seconds) while bounding what
   * each reconnect resends (200 frames) and what each stream holds (320 KB at 16 kHz).
   */
  public static final long DEFAULT_REPLAY_BUFFER_MS = 10_000;
  /** After the input ended: the longest wait for the final transcript. */
  public static final long DEFAULT_FINALIZATION_TIMEOUT_MS = 30_000;
  /** After the input ended and a final transcript came: quiet time before the stream closes. */
  public static final long DEFAULT_FINAL_QUIET_MS = 3_000;
  /**
   * Attempts failing with no success in between, within the breaker's {@code failuresRollingWindow}
   * (10 s by default), that open the client's circuit.
   */
  public static final int DEFAULT_CIRCUIT_MAX_FAILURES = 5;
  /**
   * How long the circuit stays open before one stream probes the gateway: a parked stream learns
   * that the gateway is back within about this long.
   */
  public static final long DEFAULT_CIRCUIT_RESET_TIMEOUT_MS = 100;

  /** The breaker defaults of a client: no event-bus notifications, no timeout of its own. */
  public static CircuitBreakerOptions defaultCircuitBreakerOptions() {
    return new CircuitBreakerOptions().setMaxFailures(DEFAULT_CIRCUIT_MAX_FAILURES)
        .setResetTimeout(DEFAULT_CIRCUIT_RESET_TIMEOUT_MS).setTimeout(-1)
        .setNotificationAddress(null);
  }

  private String model;
  private String language;
  private String baseUrl;
  private String encoding = DEFAULT_ENCODING;
  private int sampleRate = DEFAULT_SAMPLE_RATE;
  private String apiKey;
  private String apiSecret;
  private JsonObject extra = new JsonObject();
  private List<FallbackModel> fallback = new ArrayList<>();
  private ConnectOptions connectOptions = new ConnectOptions();
  private int writeQueueMaxSize = DEFAULT_WRITE_QUEUE_MAX_SIZE;
  private int maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
  private long replayBufferMs = DEFAULT_REPLAY_BUFFER_MS;
  private long finalizationTimeoutMs = DEFAULT_FINALIZATION_TIMEOUT_MS;
  private long finalQuietMs = DEFAULT_FINAL_QUIET_MS;
  private CircuitBreakerOptions circuitBreakerOptions = defaultCircuitBreakerOptions();
  private String roomId;
  private String jobId;
  private String agentId;
  private String priority;
  private String workerToken;
  private boolean traceTranscripts;

  public SttOptions() {
  }

  public SttOptions(SttOptions other) {
    this.model = other.model;
    this.language = other.language;
    this.baseUrl = other.baseUrl;
    this.encoding = other.encoding;
    this.sampleRate = other.sampleRate;
    this.apiKey = other.apiKey;
    this.apiSecret = other.apiSecret;
    this.extra = other.extra.copy();
    this.fallback = new ArrayList<>(other.fallback);
    this.connectOptions = new ConnectOptions(other.connectOptions);
    this.writeQueueMaxSize = other.writeQueueMaxSize;
    this.maxBufferedBytes = other.maxBufferedBytes;
    this.replayBufferMs = other.replayBufferMs;
    this.finalizationTimeoutMs = other.finalizationTimeoutMs;
    this.finalQuietMs = other.finalQuietMs;
    this.circuitBreakerOptions = new CircuitBreakerOptions(other.circuitBreakerOptions);
    this.roomId = other.roomId;
    this.jobId = other.jobId;
    this.agentId = other.agentId;
    this.priority = other.priority;
    this.workerToken = other.workerToken;
    this.traceTranscripts = other.traceTranscripts;
  }

  public SttOptions(JsonObject json) {
    SttOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "client."), this);
    readUngeneratedFields(json);
  }

  public String getModel() {
    return model;
  }

  /**
   * Any model string; {@code provider/model:lang} also sets the language unless one is set
   * explicitly. {@code null} or {@code auto} lets the gateway choose.
   */
  public SttOptions setModel(String model) {
    ModelName parsed = ModelName.parse(model);
    this.model = parsed.model();
    if (parsed.language() != null && this.language == null) {
      this.language = parsed.language();
    }
    return this;
  }

  public String getLanguage() {
    return language;
  }

  public SttOptions setLanguage(String language) {
    this.language = language == null || language.isBlank() ? null : language;
    return this;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  /** Gateway base URL; unset: {@code LIVEKIT_INFERENCE_URL}, else LiveKit Cloud. */
  public SttOptions setBaseUrl(String baseUrl) {
    this.baseUrl = baseUrl;
    return this;
  }

  public String getEncoding() {
    return encoding;
  }

  public SttOptions setEncoding(String encoding) {
    if (!DEFAULT_ENCODING.equals(encoding)) {
      throw new IllegalArgumentException("encoding must be pcm_s16le (the only one the gateway takes), got "
          + encoding);
    }
    this.encoding = encoding;
    return this;
  }

  public int getSampleRate() {
    return sampleRate;
  }

  public SttOptions setSampleRate(int sampleRate) {
    this.sampleRate = AudioFormat.requireSupportedSampleRate("sampleRate", sampleRate);
    return this;
  }

  public String getApiKey() {
    return apiKey;
  }

  /** Unset: {@code LIVEKIT_INFERENCE_API_KEY}, else {@code LIVEKIT_API_KEY}. */
  public SttOptions setApiKey(String apiKey) {
    this.apiKey = apiKey;
    return this;
  }

  public String getApiSecret() {
    return apiSecret;
  }

  /** Unset: {@code LIVEKIT_INFERENCE_API_SECRET}, else {@code LIVEKIT_API_SECRET}. */
  public SttOptions setApiSecret(String apiSecret) {
    this.apiSecret = apiSecret;
    return this;
  }

  public JsonObject getExtra() {
    return extra;
  }

  /** Raw provider options ({@code settings.extra}); replaces what was set before. */
  public SttOptions setExtra(JsonObject extra) {
    this.extra = extra == null ? new JsonObject() : extra.copy();
    return this;
  }

  /** Merges typed provider options into {@code extra}. */
  public SttOptions setProviderOptions(ProviderOptions options) {
    this.extra.mergeIn(options.toJson());
    return this;
  }

  public List<FallbackModel> getFallback() {
    return fallback;
  }

  public SttOptions setFallback(List<FallbackModel> fallback) {
    this.fallback = new ArrayList<>(Objects.requireNonNull(fallback, "fallback"));
    return this;
  }

  public SttOptions addFallback(FallbackModel model) {
    this.fallback.add(Objects.requireNonNull(model, "fallback model"));
    return this;
  }

  public ConnectOptions getConnectOptions() {
    return connectOptions;
  }

  public SttOptions setConnectOptions(ConnectOptions connectOptions) {
    this.connectOptions = Objects.requireNonNull(connectOptions, "connectOptions");
    return this;
  }

  public int getWriteQueueMaxSize() {
    return writeQueueMaxSize;
  }

  public SttOptions setWriteQueueMaxSize(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("writeQueueMaxSize must be >= 1 byte, got " + bytes);
    }
    this.writeQueueMaxSize = bytes;
    return this;
  }

  public int getMaxBufferedBytes() {
    return maxBufferedBytes;
  }

  public SttOptions setMaxBufferedBytes(int bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxBufferedBytes must be >= 1 byte, got " + bytes);
    }
    this.maxBufferedBytes = bytes;
    return this;
  }

  public long getReplayBufferMs() {
    return replayBufferMs;
  }

  /** Audio kept since the last final transcript and resent after a reconnect; 0 disables it. */
  public SttOptions setReplayBufferMs(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException("replayBufferMs must be >= 0, got " + ms);
    }
    this.replayBufferMs = ms;
    return this;
  }

  public long getFinalizationTimeoutMs() {
    return finalizationTimeoutMs;
  }

  public SttOptions setFinalizationTimeoutMs(long ms) {
    if (ms <= 0) {
      throw new IllegalArgumentException("finalizationTimeoutMs must be > 0, got " + ms);
    }
    this.finalizationTimeoutMs = ms;
    return this;
  }

  public long getFinalQuietMs() {
    return finalQuietMs;
  }

  public SttOptions setFinalQuietMs(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException("finalQuietMs must be >= 0, got " + ms);
    }
    this.finalQuietMs = ms;
    return this;
  }

  public CircuitBreakerOptions getCircuitBreakerOptions() {
    return circuitBreakerOptions;
  }

  /**
   * The breaker one client shares between its streams ({@code maxFailures}, {@code resetTimeout},
   * {@code failuresRollingWindow} count; its {@code timeout} and {@code maxRetries} are not used:
   * an attempt lasts until it proves itself or fails, and streams retry on their own budget).
   */
  public SttOptions setCircuitBreakerOptions(CircuitBreakerOptions options) {
    Objects.requireNonNull(options, "circuitBreakerOptions");
    if (options.getMaxFailures() < 1) {
      throw new IllegalArgumentException("circuitBreakerOptions.maxFailures must be >= 1, got "
          + options.getMaxFailures());
    }
    if (options.getResetTimeout() < 1) {
      throw new IllegalArgumentException("circuitBreakerOptions.resetTimeout must be >= 1 ms, got "
          + options.getResetTimeout());
    }
    this.circuitBreakerOptions = new CircuitBreakerOptions(options);
    return this;
  }

  public String getRoomId() {
    return roomId;
  }

  /** Sent as {@code X-LiveKit-Room-ID} on every connection; a stream's own overrides it. */
  public SttOptions setRoomId(String roomId) {
    this.roomId = blankToNull(roomId);
    return this;
  }

  public String getJobId() {
    return jobId;
  }

  /** Sent as {@code X-LiveKit-Job-ID} on every connection; a stream's own overrides it. */
  public SttOptions setJobId(String jobId) {
    this.jobId = blankToNull(jobId);
    return this;
  }

  public String getAgentId() {
    return agentId;
  }

  /** Sent as {@code X-LiveKit-Agent-ID} on every connection; a stream's own overrides it. */
  public SttOptions setAgentId(String agentId) {
    this.agentId = blankToNull(agentId);
    return this;
  }

  public String getPriority() {
    return priority;
  }

  /** Sent as {@code X-LiveKit-Inference-Priority} on every connection; a stream's own overrides it. */
  public SttOptions setPriority(String priority) {
    this.priority = blankToNull(priority);
    return this;
  }

  public String getWorkerToken() {
    return workerToken;
  }

  /**
   * Sent as {@code X-LiveKit-Worker-Token} on every connection; unset: {@code LIVEKIT_WORKER_TOKEN}.
   * A secret: never in {@link #toJson()} or {@link #toString()}.
   */
  public SttOptions setWorkerToken(String workerToken) {
    this.workerToken = blankToNull(workerToken);
    return this;
  }

  public boolean isTraceTranscripts() {
    return traceTranscripts;
  }

  /** Whether a turn's span carries its final transcript ({@code stt.pii.transcript}); default false: it is PII. */
  public SttOptions setTraceTranscripts(boolean traceTranscripts) {
    this.traceTranscripts = traceTranscripts;
    return this;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  /**
   * A copy with a live update applied: each of model and language when non-null, {@code extra}
   * merged over the current provider options. A language suffix on the model
   * ({@code deepgram/nova-3:es}) switches the language too, unless {@code language} is given:
   * an update asks for that language now, whatever was set before.
   */
  public SttOptions updatedWith(String model, String language, JsonObject extra) {
    SttOptions next = new SttOptions(this);
    if (model != null) {
      ModelName parsed = ModelName.parse(model);
      next.model = parsed.model();
      if (parsed.language() != null) {
        next.setLanguage(parsed.language());
      }
    }
    if (language != null) {
      next.setLanguage(language);
    }
    if (extra != null) {
      next.extra.mergeIn(extra);
    }
    return next;
  }

  /** The options as JSON, without the API secret and the worker token. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    SttOptionsConverter.toJson(this, json);
    json.remove("apiSecret");
    json.remove("workerToken");
    JsonArray fb = new JsonArray();
    fallback.forEach(f -> fb.add(f.toJson()));
    json.remove("circuitBreakerOptions");
    JsonObject circuit = circuitBreakerOptions.toJson();
    json.put("circuitBreaker", new JsonObject().put("maxFailures", circuit.getValue("maxFailures"))
        .put("resetTimeout", circuit.getValue("resetTimeout"))
        .put("failuresRollingWindow", circuit.getValue("failuresRollingWindow")));
    return json.put("fallback", fb);
  }

  /**
   * The fields codegen cannot map: a fallback entry may be a bare model string, and the circuit
   * breaker's options are kept to the three that matter under {@code circuitBreaker}.
   */
  private void readUngeneratedFields(JsonObject json) {
    JsonArray fb = json.getJsonArray("fallback");
    if (fb != null) {
      fb.forEach(entry -> addFallback(FallbackModel.fromJson(entry)));
    }
    JsonObject circuit = json.getJsonObject("circuitBreaker");
    if (circuit != null) {
      setCircuitBreakerOptions(new CircuitBreakerOptions(
          defaultCircuitBreakerOptions().toJson().mergeIn(circuit))
          .setNotificationAddress(circuit.getString("notificationAddress")));
    }
  }

  @Override
  public String toString() {
    return "SttOptions" + toJson().encode();
  }
}
