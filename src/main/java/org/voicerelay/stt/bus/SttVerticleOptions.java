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
 *  "nodeAudioBudgetBytes":0, "maxEventLoopLagMs":200, "admissionRecoveryMs":3000,
 *  "maxAdmissionsPerSecond":50, "resumableByDefault":false, "frontMaxReplayBytes":1920000,
 *  "metrics":{"enabled":true,"prometheus":{"enabled":false,"host":"0.0.0.0","port":9102,"path":"/metrics"}},
 *  "bridge":{"enabled":false,"host":"127.0.0.1","port":7000}}
 * </pre>
 * The API secret of {@code client} is read but never written by {@link #toJson()} or
 * {@link #toString()}. The flat keys go through the generated converter; the {@code metrics} and
 * {@code bridge} objects are read and written here (their setters are flat, like the keys of the
 * environment variables that set them).
 */
@DataObject
@JsonGen(publicConverter = false)
public class SttVerticleOptions {

  public static final String DEFAULT_PREFIX = BusContract.DEFAULT_PREFIX;
  /** Live sessions per node (all instances of the verticle in one Vert.x instance together). */
  public static final int DEFAULT_MAX_SESSIONS = 1000;
  /** Per session, bytes at the gateway session rate waiting to be sent: about 32 s at 16 kHz. */
  public static final int DEFAULT_MAX_BUFFERED_BYTES = SttOptions.DEFAULT_MAX_BUFFERED_BYTES;
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
  /** 0: the node audio budget is {@link #DEFAULT_AUDIO_BUDGET_HEAP_SHARE} of the JVM's max heap. */
  public static final long DEFAULT_NODE_AUDIO_BUDGET_BYTES = 0;
  /** The share of the max heap that buffered and replay audio may take when no budget is set. */
  public static final double DEFAULT_AUDIO_BUDGET_HEAP_SHARE = 0.5;
  /** Event-loop lag (smoothed lateness of a 100 ms timer) beyond which the node takes no open. */
  public static final long DEFAULT_MAX_EVENT_LOOP_LAG_MS = 200;
  /** How long a saturated node must stay below its marks before it takes opens again. */
  public static final long DEFAULT_ADMISSION_RECOVERY_MS = 3_000;
  /**
   * Sessions a node admits per second at most (slow start): a new session's CPU cost shows in the
   * event-loop lag only a second or two later, so the node must not admit faster than that.
   */
  public static final int DEFAULT_MAX_ADMISSIONS_PER_SECOND = 50;
  /** Opens without a {@code resumable} field get a front on the caller's node (see docs/cluster.md). */
  public static final boolean DEFAULT_RESUMABLE_BY_DEFAULT = false;
  /** Audio a resumable session's front keeps for a replay: 60 s at 16 kHz, as a {@link ResumableSession}. */
  public static final int DEFAULT_FRONT_MAX_REPLAY_BYTES = ResumableSessionOptions.DEFAULT_MAX_REPLAY_BYTES;
  public static final boolean DEFAULT_METRICS_ENABLED = true;
  public static final boolean DEFAULT_PROMETHEUS_ENABLED = false;
  public static final String DEFAULT_PROMETHEUS_HOST = "0.0.0.0";
  public static final int DEFAULT_PROMETHEUS_PORT = 9102;
  public static final String DEFAULT_PROMETHEUS_PATH = "/metrics";
  public static final boolean DEFAULT_BRIDGE_ENABLED = false;
  /** The bridge has no authentication: loopback unless you put it behind something that has. */
  public static final String DEFAULT_BRIDGE_HOST = "127.0.0.1";
  public static final int DEFAULT_BRIDGE_PORT = 7000;

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
  private long nodeAudioBudgetBytes = DEFAULT_NODE_AUDIO_BUDGET_BYTES;
  private long maxEventLoopLagMs = DEFAULT_MAX_EVENT_LOOP_LAG_MS;
  private long admissionRecoveryMs = DEFAULT_ADMISSION_RECOVERY_MS;
  private int maxAdmissionsPerSecond = DEFAULT_MAX_ADMISSIONS_PER_SECOND;
  private boolean resumableByDefault = DEFAULT_RESUMABLE_BY_DEFAULT;
  private int frontMaxReplayBytes = DEFAULT_FRONT_MAX_REPLAY_BYTES;
  private boolean metricsEnabled = DEFAULT_METRICS_ENABLED;
  private boolean prometheusEnabled = DEFAULT_PROMETHEUS_ENABLED;
  private String prometheusHost = DEFAULT_PROMETHEUS_HOST;
  private int prometheusPort = DEFAULT_PROMETHEUS_PORT;
  private String prometheusPath = DEFAULT_PROMETHEUS_PATH;
  private boolean bridgeEnabled = DEFAULT_BRIDGE_ENABLED;
  private String bridgeHost = DEFAULT_BRIDGE_HOST;
  private int bridgePort = DEFAULT_BRIDGE_PORT;

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
    this.nodeAudioBudgetBytes = other.nodeAudioBudgetBytes;
    this.maxEventLoopLagMs = other.maxEventLoopLagMs;
    this.admissionRecoveryMs = other.admissionRecoveryMs;
    this.maxAdmissionsPerSecond = other.maxAdmissionsPerSecond;
    this.metricsEnabled = other.metricsEnabled;
    this.prometheusEnabled = other.prometheusEnabled;
    this.prometheusHost = other.prometheusHost;
    this.prometheusPort = other.prometheusPort;
    this.prometheusPath = other.prometheusPath;
    this.bridgeEnabled = other.bridgeEnabled;
    this.bridgeHost = other.bridgeHost;
    this.bridgePort = other.bridgePort;
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
    JsonObject metrics = JsonTypes.checked(section(json, "metrics"),
        defaults.getJsonObject("metrics"), "metrics.");
    setMetricsEnabled(metrics.getBoolean("enabled", DEFAULT_METRICS_ENABLED));
    JsonObject prometheus = JsonTypes.checked(section(metrics, "prometheus"),
        defaults.getJsonObject("metrics").getJsonObject("prometheus"), "metrics.prometheus.");
    setPrometheusEnabled(prometheus.getBoolean("enabled", DEFAULT_PROMETHEUS_ENABLED));
    setPrometheusHost(prometheus.getString("host", DEFAULT_PROMETHEUS_HOST));
    setPrometheusPort(prometheus.getInteger("port", DEFAULT_PROMETHEUS_PORT));
    setPrometheusPath(prometheus.getString("path", DEFAULT_PROMETHEUS_PATH));
    JsonObject bridge = JsonTypes.checked(section(json, "bridge"),
        defaults.getJsonObject("bridge"), "bridge.");
    setBridgeEnabled(bridge.getBoolean("enabled", DEFAULT_BRIDGE_ENABLED));
    setBridgeHost(bridge.getString("host", DEFAULT_BRIDGE_HOST));
    setBridgePort(bridge.getInteger("port", DEFAULT_BRIDGE_PORT));
  }

  /** A nested object of the JSON form; absent or null: empty (its keys keep their defaults). */
  private static JsonObject section(JsonObject json, String key) {
    JsonObject section = json.getJsonObject(key);
    return section != null ? section : new JsonObject();
  }

  /** Every option, without the client's API secret. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    SttVerticleOptionsConverter.toJson(this, json);
    json.put("metrics", new JsonObject().put("enabled", metricsEnabled)
        .put("prometheus", new JsonObject().put("enabled", prometheusEnabled)
            .put("host", prometheusHost).put("port", prometheusPort).put("path", prometheusPath)));
    json.put("bridge", new JsonObject().put("enabled", bridgeEnabled).put("host", bridgeHost)
        .put("port", bridgePort));
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

  public long getNodeAudioBudgetBytes() {
    return nodeAudioBudgetBytes;
  }

  /**
   * Bytes of buffered and replay audio the whole node may hold. A session is admitted only while
   * its worst case ({@code maxBufferedBytes} plus the client's replay buffer) fits beside the worst
   * cases of the sessions already admitted, so the audio never outgrows the heap. 0: half of the
   * max heap ({@link #DEFAULT_AUDIO_BUDGET_HEAP_SHARE}).
   */
  public SttVerticleOptions setNodeAudioBudgetBytes(long nodeAudioBudgetBytes) {
    if (nodeAudioBudgetBytes < 0) {
      throw new IllegalArgumentException("nodeAudioBudgetBytes must be >= 0 (0: half of the max heap), got "
          + nodeAudioBudgetBytes);
    }
    this.nodeAudioBudgetBytes = nodeAudioBudgetBytes;
    return this;
  }

  public long getMaxEventLoopLagMs() {
    return maxEventLoopLagMs;
  }

  /**
   * The node is saturated, and takes no open, while its event loops run a timer later than this
   * (smoothed): its admitted sessions need the CPU to stay in real time.
   */
  public SttVerticleOptions setMaxEventLoopLagMs(long maxEventLoopLagMs) {
    if (maxEventLoopLagMs < 1) {
      throw new IllegalArgumentException("maxEventLoopLagMs must be >= 1, got " + maxEventLoopLagMs);
    }
    this.maxEventLoopLagMs = maxEventLoopLagMs;
    return this;
  }

  public long getAdmissionRecoveryMs() {
    return admissionRecoveryMs;
  }

  /** How long a saturated node must stay below half its marks before it takes opens again. */
  public SttVerticleOptions setAdmissionRecoveryMs(long admissionRecoveryMs) {
    if (admissionRecoveryMs < 0) {
      throw new IllegalArgumentException("admissionRecoveryMs must be >= 0, got " + admissionRecoveryMs);
    }
    this.admissionRecoveryMs = admissionRecoveryMs;
    return this;
  }

  public int getMaxAdmissionsPerSecond() {
    return maxAdmissionsPerSecond;
  }

  /**
   * How many sessions the node admits per second at most (a token bucket holding one second's
   * worth); opens beyond it go to another node or get 503 {@code overloaded}. 0: no limit.
   */
  public SttVerticleOptions setMaxAdmissionsPerSecond(int maxAdmissionsPerSecond) {
    if (maxAdmissionsPerSecond < 0) {
      throw new IllegalArgumentException("maxAdmissionsPerSecond must be >= 0 (0: no limit), got "
          + maxAdmissionsPerSecond);
    }
    this.maxAdmissionsPerSecond = maxAdmissionsPerSecond;
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

  @GenIgnore
  public boolean isMetricsEnabled() {
    return metricsEnabled;
  }

  @GenIgnore
  public SttVerticleOptions setMetricsEnabled(boolean metricsEnabled) {
    this.metricsEnabled = metricsEnabled;
    return this;
  }

  @GenIgnore
  public boolean isPrometheusEnabled() {
    return prometheusEnabled;
  }

  /** Serves the metrics in Prometheus text format on a plain HTTP server (needs metrics enabled). */
  @GenIgnore
  public SttVerticleOptions setPrometheusEnabled(boolean prometheusEnabled) {
    this.prometheusEnabled = prometheusEnabled;
    return this;
  }

  @GenIgnore
  public String getPrometheusHost() {
    return prometheusHost;
  }

  @GenIgnore
  public SttVerticleOptions setPrometheusHost(String prometheusHost) {
    this.prometheusHost = requireText("metrics.prometheus.host", prometheusHost);
    return this;
  }

  @GenIgnore
  public int getPrometheusPort() {
    return prometheusPort;
  }

  /** 0 picks a free port ({@link SttVerticle#prometheusPort()} tells which). */
  @GenIgnore
  public SttVerticleOptions setPrometheusPort(int prometheusPort) {
    this.prometheusPort = requirePort("metrics.prometheus.port", prometheusPort);
    return this;
  }

  @GenIgnore
  public String getPrometheusPath() {
    return prometheusPath;
  }

  @GenIgnore
  public SttVerticleOptions setPrometheusPath(String prometheusPath) {
    if (prometheusPath == null || !prometheusPath.startsWith("/")) {
      throw new IllegalArgumentException("metrics.prometheus.path must start with '/', got " + prometheusPath);
    }
    this.prometheusPath = prometheusPath;
    return this;
  }

  @GenIgnore
  public boolean isBridgeEnabled() {
    return bridgeEnabled;
  }

  /** Starts a TCP event-bus bridge that lets through the contract's addresses and nothing else. */
  @GenIgnore
  public SttVerticleOptions setBridgeEnabled(boolean bridgeEnabled) {
    this.bridgeEnabled = bridgeEnabled;
    return this;
  }

  @GenIgnore
  public String getBridgeHost() {
    return bridgeHost;
  }

  @GenIgnore
  public SttVerticleOptions setBridgeHost(String bridgeHost) {
    this.bridgeHost = requireText("bridge.host", bridgeHost);
    return this;
  }

  @GenIgnore
  public int getBridgePort() {
    return bridgePort;
  }

  /** A fixed port: the TCP bridge cannot report a port picked by the system. */
  @GenIgnore
  public SttVerticleOptions setBridgePort(int bridgePort) {
    this.bridgePort = requirePort("bridge.port", bridgePort);
    return this;
  }

  @Override
  public String toString() {
    return "SttVerticleOptions" + toJson().encode();
  }

  private static String requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }

  private static int requirePort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be in [0, 65535], got " + port);
    }
    return port;
  }
}
