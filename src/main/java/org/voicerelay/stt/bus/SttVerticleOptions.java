package org.voicerelay.stt.bus;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.config.JsonTypes;

/**
 * Options of the {@link SttVerticle}: the address prefix, the gateway client, the per-node and
 * per-session limits, metrics and the optional TCP event-bus bridge.
 *
 * <p>JSON shape (every key optional):
 * <pre>
 * {"prefix":"stt", "client":{SttOptions}, "maxSessions":1000, "maxBufferedBytes":1048576,
 *  "idleTimeoutMs":20000, "maxAudioMessageBytes":262144, "allowedEventsPrefixes":["app.","stt.events."],
 *  "closedSessionLingerMs":10000, "shutdownTimeoutMs":10000, "node":"...",
 *  "resumableByDefault":false, "frontMaxReplayBytes":1920000,
 *  "admission":{AdmissionOptions}, "metrics":{MetricsOptions}, "bridge":{TcpBridgeOptions}}
 * </pre>
 * The API secret of {@code client} is read but never written by {@link #toJson()} or
 * {@link #toString()}. Every key, the nested objects included, goes through the generated
 * converters.
 */
@DataObject
@JsonGen(publicConverter = false)
public class SttVerticleOptions {

  public static final String DEFAULT_PREFIX = BusContract.DEFAULT_PREFIX;
  /** Live sessions per node (all instances of the verticle in one Vert.x instance together). */
  public static final int DEFAULT_MAX_SESSIONS = 1000;
  /** Per session, bytes at the gateway session rate waiting to be sent: about 32 s at 16 kHz. */
  public static final int DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;
  /**
   * A session that receives no audio and no control message for this long is ended (finalized,
   * then closed). Below the gateway's own inactivity limit (30 s for the local gateway), so the
   * session ends cleanly instead of being dropped by the gateway.
   */
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 20_000;
  /** Largest audio message, in decoded PCM bytes: about 2.7 s at 48 kHz. */
  public static final int DEFAULT_MAX_AUDIO_MESSAGE_BYTES = 256 * 1024;
  /** Where callers may ask events to be published (besides the session's default address). */
  public static final List<String> DEFAULT_ALLOWED_EVENTS_PREFIXES = List.of("app.", "stt.events.");
  /** How long a closed session's addresses keep answering {@link BusErrorCode#SESSION_CLOSED}. */
  public static final long DEFAULT_CLOSED_SESSION_LINGER_MS = 10_000;
  /** On undeploy: how long sessions may take to deliver their final transcript before being aborted. */
  public static final long DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
  /** Opens without a {@code resumable} field get a front on the caller's node (see docs/cluster.md). */
  public static final boolean DEFAULT_RESUMABLE_BY_DEFAULT = false;
  /** Audio a resumable session's front keeps for a replay: 60 s at 16 kHz. */
  public static final int DEFAULT_FRONT_MAX_REPLAY_BYTES = 60 * 16_000 * 2;

  private String prefix = DEFAULT_PREFIX;
  private SttOptions client = new SttOptions();
  private int maxSessions = DEFAULT_MAX_SESSIONS;
  private int maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
  private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  private int maxAudioMessageBytes = DEFAULT_MAX_AUDIO_MESSAGE_BYTES;
  private List<String> allowedEventsPrefixes = new ArrayList<>(DEFAULT_ALLOWED_EVENTS_PREFIXES);
  private long closedSessionLingerMs = DEFAULT_CLOSED_SESSION_LINGER_MS;
  private long shutdownTimeoutMs = DEFAULT_SHUTDOWN_TIMEOUT_MS;
  private String node;
  private boolean resumableByDefault = DEFAULT_RESUMABLE_BY_DEFAULT;
  private int frontMaxReplayBytes = DEFAULT_FRONT_MAX_REPLAY_BYTES;
  private AdmissionOptions admission = new AdmissionOptions();
  private MetricsOptions metrics = new MetricsOptions();
  private TcpBridgeOptions bridge = new TcpBridgeOptions();

  public SttVerticleOptions() {
  }

  public SttVerticleOptions(SttVerticleOptions other) {
    this.prefix = other.prefix;
    this.client = new SttOptions(other.client);
    this.maxSessions = other.maxSessions;
    this.maxBufferedBytes = other.maxBufferedBytes;
    this.idleTimeoutMs = other.idleTimeoutMs;
    this.maxAudioMessageBytes = other.maxAudioMessageBytes;
    this.allowedEventsPrefixes = new ArrayList<>(other.allowedEventsPrefixes);
    this.closedSessionLingerMs = other.closedSessionLingerMs;
    this.shutdownTimeoutMs = other.shutdownTimeoutMs;
    this.node = other.node;
    this.admission = new AdmissionOptions(other.admission);
    this.metrics = new MetricsOptions(other.metrics);
    this.bridge = new TcpBridgeOptions(other.bridge);
    this.resumableByDefault = other.resumableByDefault;
    this.frontMaxReplayBytes = other.frontMaxReplayBytes;
  }

  /**
   * Reads the shape shown in the class comment; absent keys keep their defaults.
   *
   * @throws IllegalArgumentException if a value is out of range or of the wrong JSON type
   */
  public SttVerticleOptions(JsonObject json) {
    JsonObject defaults = toJson();
    JsonTypes.checked(json, defaults, "");
    if (json.getValue("node") != null && !(json.getValue("node") instanceof String)) {
      throw new IllegalArgumentException("node must be a string, got " + json.getValue("node"));
    }
    if (json.getValue("prefix") instanceof String p) {
      // first: the events prefixes are checked against it, whatever the order of the keys
      setPrefix(p);
    }
    SttVerticleOptionsConverter.fromJson(json, this);
  }

  /** Every option, without the client's API secret. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    SttVerticleOptionsConverter.toJson(this, json);
    return json;
  }

  public String getPrefix() {
    return prefix;
  }

  /** First part of every address: {@code <prefix>.open}, {@code <prefix>.session.<id>.audio}, ... */
  public SttVerticleOptions setPrefix(String prefix) {
    if (prefix == null || prefix.isBlank() || prefix.endsWith(".") || prefix.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("prefix must be a non-empty address without blanks or a trailing dot, got '"
          + prefix + "'");
    }
    this.prefix = prefix;
    return this;
  }

  public SttOptions getClient() {
    return client;
  }

  /** The gateway client every session uses; a session's own model, language, extra and fallback override it. */
  public SttVerticleOptions setClient(SttOptions client) {
    this.client = new SttOptions(Objects.requireNonNull(client, "client"));
    return this;
  }

  public int getMaxSessions() {
    return maxSessions;
  }

  public SttVerticleOptions setMaxSessions(int maxSessions) {
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be >= 1, got " + maxSessions);
    }
    this.maxSessions = maxSessions;
    return this;
  }

  public int getMaxBufferedBytes() {
    return maxBufferedBytes;
  }

  /** Overrides {@code client.maxBufferedBytes}: the hard per-session limit beyond which audio is refused. */
  public SttVerticleOptions setMaxBufferedBytes(int maxBufferedBytes) {
    if (maxBufferedBytes < 1) {
      throw new IllegalArgumentException("maxBufferedBytes must be >= 1, got " + maxBufferedBytes);
    }
    this.maxBufferedBytes = maxBufferedBytes;
    return this;
  }

  public long getIdleTimeoutMs() {
    return idleTimeoutMs;
  }

  public SttVerticleOptions setIdleTimeoutMs(long idleTimeoutMs) {
    if (idleTimeoutMs < 1) {
      throw new IllegalArgumentException("idleTimeoutMs must be >= 1, got " + idleTimeoutMs);
    }
    this.idleTimeoutMs = idleTimeoutMs;
    return this;
  }

  public int getMaxAudioMessageBytes() {
    return maxAudioMessageBytes;
  }

  public SttVerticleOptions setMaxAudioMessageBytes(int maxAudioMessageBytes) {
    if (maxAudioMessageBytes < 2) {
      throw new IllegalArgumentException("maxAudioMessageBytes must be >= 2, got " + maxAudioMessageBytes);
    }
    this.maxAudioMessageBytes = maxAudioMessageBytes;
    return this;
  }

  public List<String> getAllowedEventsPrefixes() {
    return allowedEventsPrefixes;
  }

  /**
   * Prefixes an {@code eventsAddress} of an open request must start with. The session's default
   * address is always allowed, the contract's input addresses never are. An empty list allows
   * only the default.
   */
  public SttVerticleOptions setAllowedEventsPrefixes(List<String> prefixes) {
    Objects.requireNonNull(prefixes, "allowedEventsPrefixes");
    for (String p : prefixes) {
      if (p == null || p.isBlank()) {
        throw new IllegalArgumentException("allowedEventsPrefixes must not contain empty prefixes, got "
            + prefixes);
      }
    }
    BusContract.checkEventsPrefixes(prefix, prefixes);
    this.allowedEventsPrefixes = new ArrayList<>(prefixes);
    return this;
  }

  public long getClosedSessionLingerMs() {
    return closedSessionLingerMs;
  }

  /** 0 unregisters a closed session's addresses at once (late messages then get NO_HANDLERS). */
  public SttVerticleOptions setClosedSessionLingerMs(long closedSessionLingerMs) {
    if (closedSessionLingerMs < 0) {
      throw new IllegalArgumentException("closedSessionLingerMs must be >= 0, got " + closedSessionLingerMs);
    }
    this.closedSessionLingerMs = closedSessionLingerMs;
    return this;
  }

  public long getShutdownTimeoutMs() {
    return shutdownTimeoutMs;
  }

  public SttVerticleOptions setShutdownTimeoutMs(long shutdownTimeoutMs) {
    if (shutdownTimeoutMs < 0) {
      throw new IllegalArgumentException("shutdownTimeoutMs must be >= 0, got " + shutdownTimeoutMs);
    }
    this.shutdownTimeoutMs = shutdownTimeoutMs;
    return this;
  }

  public String getNode() {
    return node;
  }

  /** The name of this node in open replies and status; unset: {@code HOSTNAME} or "local", plus the pid. */
  public SttVerticleOptions setNode(String node) {
    this.node = node == null || node.isBlank() ? null : node;
    return this;
  }

  public AdmissionOptions getAdmission() {
    return admission;
  }

  /** When the node takes new sessions: its audio budget, lag mark, recovery time and admission rate. */
  public SttVerticleOptions setAdmission(AdmissionOptions admission) {
    this.admission = Objects.requireNonNull(admission, "admission");
    return this;
  }

  /**
   * Kept for the benchmark programs: {@code getAdmission().setMaxAdmissionsPerSecond(...)}.
   */
  @GenIgnore
  public SttVerticleOptions setMaxAdmissionsPerSecond(int maxAdmissionsPerSecond) {
    admission.setMaxAdmissionsPerSecond(maxAdmissionsPerSecond);
    return this;
  }

  public boolean isResumableByDefault() {
    return resumableByDefault;
  }

  /** Whether an open that does not say {@code resumable} is resumable. */
  public SttVerticleOptions setResumableByDefault(boolean resumableByDefault) {
    this.resumableByDefault = resumableByDefault;
    return this;
  }

  public int getFrontMaxReplayBytes() {
    return frontMaxReplayBytes;
  }

  /**
   * Sent audio without a final transcript that each resumable session's front keeps to replay when
   * recognition moves; older audio is then lost (counted in {@code lostBytes}). Every front may
   * hold this much, outside the node audio budget. 0 keeps none.
   */
  public SttVerticleOptions setFrontMaxReplayBytes(int frontMaxReplayBytes) {
    if (frontMaxReplayBytes < 0) {
      throw new IllegalArgumentException("frontMaxReplayBytes must be >= 0, got " + frontMaxReplayBytes);
    }
    this.frontMaxReplayBytes = frontMaxReplayBytes;
    return this;
  }

  public MetricsOptions getMetrics() {
    return metrics;
  }

  /** Whether the node records meters, and its Prometheus endpoint. */
  public SttVerticleOptions setMetrics(MetricsOptions metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    return this;
  }

  public TcpBridgeOptions getBridge() {
    return bridge;
  }

  /** The node's TCP event-bus bridge for programs outside the JVM. */
  public SttVerticleOptions setBridge(TcpBridgeOptions bridge) {
    this.bridge = Objects.requireNonNull(bridge, "bridge");
    return this;
  }

  @Override
  public String toString() {
    return "SttVerticleOptions" + toJson().encode();
  }
}
