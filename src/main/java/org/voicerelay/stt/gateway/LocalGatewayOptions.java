package org.voicerelay.stt.gateway;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.voicerelay.stt.config.JsonTypes;

/**
 * Options of the {@link LocalGatewayVerticle}: where it listens, the credentials it accepts, the
 * engine it runs and the limits that keep one misbehaving client from hurting the others.
 *
 * <p>The API secret is write-only as far as the outside world goes: {@link #toJson()} and
 * {@link #toString()} leave it out, so options can be logged or echoed safely.
 */
@DataObject
@JsonGen(publicConverter = false)
public class LocalGatewayOptions {

  /** Loopback only: the gateway is a local development and test stand-in. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Any free port; the verticle reports the one it got ({@link LocalGatewayVerticle#actualPort()}). */
  public static final int DEFAULT_PORT = 0;

  /** The key of LiveKit's local development setup. */
  public static final String DEFAULT_API_KEY = "devkey";

  /** A well-known development secret; set a real one for anything but local use. */
  public static final String DEFAULT_API_SECRET = "devsecret";

  /** The engine that really transcribes. */
  public static final String DEFAULT_RECOGNIZER = LocalGatewayVerticle.RECOGNIZER_SPHINX4;

  /** Per verticle instance; beyond it a new connection gets {@link GatewayErrorCode#TOO_MANY_SESSIONS}. */
  public static final int DEFAULT_MAX_SESSIONS = 1000;

  /** A session that sends nothing for 30 s is closed with {@link GatewayErrorCode#INACTIVE_SESSION}. */
  public static final long DEFAULT_IDLE_TIMEOUT = 30_000;

  /** A client quiet for 5 s gets a WebSocket ping. */
  public static final long DEFAULT_PING_INTERVAL = 5_000;

  /**
   * A client from which nothing at all (a frame, a pong) came for 15 s is gone: its socket is
   * closed and its engine freed, sooner than the idle timeout and also while a finalize is pending.
   */
  public static final long DEFAULT_LIVENESS_TIMEOUT = 15_000;

  /** 30 s of 16 kHz pcm_s16le waiting for the engine; beyond it {@link GatewayErrorCode#AUDIO_BUFFER_OVERFLOW}. */
  public static final long DEFAULT_MAX_PENDING_BYTES = 960_000;

  /**
   * Largest WebSocket frame and message, 1 MiB: a 50 ms frame at 48 kHz is about 6 KiB of base64,
   * so clients that send larger chunks still fit.
   */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

  /** Transcripts carry the session's language, or this one when the session names none. */
  public static final String DEFAULT_LANGUAGE = "en";

  /**
   * {@code session.close} is answered with {@code session.closed} before the socket closes, as the
   * protocol says. LiveKit's Node client ({@code @livekit/agents} 1.9.0) on Node 20 breaks on any
   * frame that arrives after its {@code session.close}: its event channel is already closed, Node's
   * WritableStream throws instead of rejecting, and the client's stream never ends. Turn the reply
   * off for such clients; the socket still closes normally (1000).
   */
  public static final boolean DEFAULT_SESSION_CLOSED_REPLY = true;

  private String host;
  private int port;
  private String apiKey;
  private String apiSecret;
  private String recognizer;
  private JsonObject recognizerConfig;
  private int maxSessions;
  private long idleTimeout;
  private long pingInterval;
  private long livenessTimeout;
  private long maxPendingBytes;
  private int maxMessageSize;
  private String language;
  private boolean sessionClosedReply;

  public LocalGatewayOptions() {
    host = DEFAULT_HOST;
    port = DEFAULT_PORT;
    apiKey = DEFAULT_API_KEY;
    apiSecret = DEFAULT_API_SECRET;
    recognizer = DEFAULT_RECOGNIZER;
    recognizerConfig = new JsonObject();
    maxSessions = DEFAULT_MAX_SESSIONS;
    idleTimeout = DEFAULT_IDLE_TIMEOUT;
    pingInterval = DEFAULT_PING_INTERVAL;
    livenessTimeout = DEFAULT_LIVENESS_TIMEOUT;
    maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
    maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    language = DEFAULT_LANGUAGE;
    sessionClosedReply = DEFAULT_SESSION_CLOSED_REPLY;
  }

  public LocalGatewayOptions(LocalGatewayOptions other) {
    host = other.host;
    port = other.port;
    apiKey = other.apiKey;
    apiSecret = other.apiSecret;
    recognizer = other.recognizer;
    recognizerConfig = other.recognizerConfig.copy();
    maxSessions = other.maxSessions;
    idleTimeout = other.idleTimeout;
    pingInterval = other.pingInterval;
    livenessTimeout = other.livenessTimeout;
    maxPendingBytes = other.maxPendingBytes;
    maxMessageSize = other.maxMessageSize;
    language = other.language;
    sessionClosedReply = other.sessionClosedReply;
  }

  /**
   * Reads the keys of {@link #toJson()} plus {@code apiSecret}; absent keys keep their defaults.
   *
   * @throws IllegalArgumentException if a value is out of range
   */
  public LocalGatewayOptions(JsonObject json) {
    this();
    LocalGatewayOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "gateway."), this);
  }

  /** Every option except {@code apiSecret}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    LocalGatewayOptionsConverter.toJson(this, json);
    json.remove("apiSecret");
    return json;
  }

  public String getHost() {
    return host;
  }

  public LocalGatewayOptions setHost(String host) {
    this.host = requireText("host", host);
    return this;
  }

  public int getPort() {
    return port;
  }

  /** 0 picks any free port. */
  public LocalGatewayOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
    }
    this.port = port;
    return this;
  }

  public String getApiKey() {
    return apiKey;
  }

  /** The issuer ({@code iss}) a token must carry. */
  public LocalGatewayOptions setApiKey(String apiKey) {
    this.apiKey = requireText("apiKey", apiKey);
    return this;
  }

  public String getApiSecret() {
    return apiSecret;
  }

  /** The HS256 key tokens must be signed with. */
  public LocalGatewayOptions setApiSecret(String apiSecret) {
    if (apiSecret == null || apiSecret.isEmpty()) {
      throw new IllegalArgumentException("apiSecret must not be empty");
    }
    this.apiSecret = apiSecret;
    return this;
  }

  public String getRecognizer() {
    return recognizer;
  }

  /** {@code sphinx4} or {@code counting}. */
  public LocalGatewayOptions setRecognizer(String recognizer) {
    if (!LocalGatewayVerticle.RECOGNIZER_SPHINX4.equals(recognizer)
        && !LocalGatewayVerticle.RECOGNIZER_COUNTING.equals(recognizer)) {
      throw new IllegalArgumentException("recognizer must be \"" + LocalGatewayVerticle.RECOGNIZER_SPHINX4
          + "\" or \"" + LocalGatewayVerticle.RECOGNIZER_COUNTING + "\", got " + recognizer);
    }
    this.recognizer = recognizer;
    return this;
  }

  public JsonObject getRecognizerConfig() {
    return recognizerConfig;
  }

  /** Handed to the engine as is. */
  public LocalGatewayOptions setRecognizerConfig(JsonObject recognizerConfig) {
    this.recognizerConfig = Objects.requireNonNull(recognizerConfig, "recognizerConfig");
    return this;
  }

  public int getMaxSessions() {
    return maxSessions;
  }

  public LocalGatewayOptions setMaxSessions(int maxSessions) {
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be at least 1, got " + maxSessions);
    }
    this.maxSessions = maxSessions;
    return this;
  }

  public long getIdleTimeout() {
    return idleTimeout;
  }

  /** Milliseconds without a text or binary frame from the client after which the session is closed. */
  public LocalGatewayOptions setIdleTimeout(long idleTimeout) {
    if (idleTimeout < 1) {
      throw new IllegalArgumentException("idleTimeout must be at least 1 ms, got " + idleTimeout);
    }
    this.idleTimeout = idleTimeout;
    return this;
  }

  public long getPingInterval() {
    return pingInterval;
  }

  /** Milliseconds of quiet from a client after which it gets a WebSocket ping. */
  public LocalGatewayOptions setPingInterval(long pingInterval) {
    if (pingInterval < 1) {
      throw new IllegalArgumentException("pingInterval must be at least 1 ms, got " + pingInterval);
    }
    this.pingInterval = pingInterval;
    return this;
  }

  public long getLivenessTimeout() {
    return livenessTimeout;
  }

  /** Milliseconds without anything from a client (not even a pong) after which it is taken for gone. */
  public LocalGatewayOptions setLivenessTimeout(long livenessTimeout) {
    if (livenessTimeout < 1) {
      throw new IllegalArgumentException("livenessTimeout must be at least 1 ms, got " + livenessTimeout);
    }
    this.livenessTimeout = livenessTimeout;
    return this;
  }

  public long getMaxPendingBytes() {
    return maxPendingBytes;
  }

  /** Audio bytes (at the engine's rate) a session may have waiting for the engine. */
  public LocalGatewayOptions setMaxPendingBytes(long maxPendingBytes) {
    if (maxPendingBytes < 1) {
      throw new IllegalArgumentException("maxPendingBytes must be at least 1, got " + maxPendingBytes);
    }
    this.maxPendingBytes = maxPendingBytes;
    return this;
  }

  public int getMaxMessageSize() {
    return maxMessageSize;
  }

  /** Largest WebSocket frame and message in bytes; a larger one closes the socket (1009). */
  public LocalGatewayOptions setMaxMessageSize(int maxMessageSize) {
    if (maxMessageSize < 1024) {
      throw new IllegalArgumentException("maxMessageSize must be at least 1024, got " + maxMessageSize);
    }
    this.maxMessageSize = maxMessageSize;
    return this;
  }

  public String getLanguage() {
    return language;
  }

  public LocalGatewayOptions setLanguage(String language) {
    this.language = requireText("language", language);
    return this;
  }

  public boolean isSessionClosedReply() {
    return sessionClosedReply;
  }

  /** Whether {@code session.close} gets a {@code session.closed} frame before the socket closes. */
  public LocalGatewayOptions setSessionClosedReply(boolean sessionClosedReply) {
    this.sessionClosedReply = sessionClosedReply;
    return this;
  }

  @Override
  public String toString() {
    return "LocalGatewayOptions" + toJson().encode();
  }

  private static String requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }
}
