package org.voicerelay.stt.bus;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.bus.impl.ContractBridge;
import org.voicerelay.stt.config.JsonTypes;
import org.voicerelay.stt.security.BridgeAuthOptions;
import org.voicerelay.stt.security.TlsOptions;

/**
 * The node's TCP event-bus bridge ({@code bridge}; {@link ContractBridge}): the contract for
 * programs outside the JVM, guarded so that a caller reaches only its own sessions. Without
 * {@code auth} anyone who reaches the port may open sessions: keep it on loopback, or set
 * {@code auth} (JWTs) and {@code tls}.
 *
 * <p>JSON: {@code {"enabled":false, "host":"127.0.0.1", "port":7000, "openTimeoutMs":10000,
 * "auth":{BridgeAuthOptions}, "tls":{TlsOptions}}}.
 */
@DataObject
@JsonGen(publicConverter = false)
public class TcpBridgeOptions {

  public static final boolean DEFAULT_ENABLED = false;
  /** Loopback: the bridge has no authentication. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7000;
  /** How long opening a session for a bridge caller may take before the caller is told it failed. */
  public static final long DEFAULT_OPEN_TIMEOUT_MS = 10_000;

  private boolean enabled = DEFAULT_ENABLED;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private long openTimeoutMs = DEFAULT_OPEN_TIMEOUT_MS;
  private BridgeAuthOptions auth = new BridgeAuthOptions();
  private TlsOptions tls = new TlsOptions();

  public TcpBridgeOptions() {
  }

  public TcpBridgeOptions(TcpBridgeOptions other) {
    this.enabled = other.enabled;
    this.host = other.host;
    this.port = other.port;
    this.openTimeoutMs = other.openTimeoutMs;
    this.auth = new BridgeAuthOptions(other.auth);
    this.tls = new TlsOptions(other.tls);
  }

  /** @throws IllegalArgumentException if a value is out of range or of the wrong JSON type */
  public TcpBridgeOptions(JsonObject json) {
    TcpBridgeOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "bridge."), this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    TcpBridgeOptionsConverter.toJson(this, json);
    return json;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public TcpBridgeOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getHost() {
    return host;
  }

  public TcpBridgeOptions setHost(String host) {
    this.host = requireText("bridge.host", host);
    return this;
  }

  public int getPort() {
    return port;
  }

  public TcpBridgeOptions setPort(int port) {
    this.port = requirePort("bridge.port", port);
    return this;
  }

  public long getOpenTimeoutMs() {
    return openTimeoutMs;
  }

  public TcpBridgeOptions setOpenTimeoutMs(long openTimeoutMs) {
    if (openTimeoutMs < 1) {
      throw new IllegalArgumentException("bridge.openTimeoutMs must be >= 1, got " + openTimeoutMs);
    }
    this.openTimeoutMs = openTimeoutMs;
    return this;
  }

  public BridgeAuthOptions getAuth() {
    return auth;
  }

  /** Tokens for callers (off unless a secret or key is set) and the per-caller session quota. */
  public TcpBridgeOptions setAuth(BridgeAuthOptions auth) {
    this.auth = auth == null ? new BridgeAuthOptions() : auth;
    return this;
  }

  public TlsOptions getTls() {
    return tls;
  }

  /** TLS for the bridge's listener. */
  public TcpBridgeOptions setTls(TlsOptions tls) {
    this.tls = tls == null ? new TlsOptions() : tls;
    return this;
  }

  @Override
  public String toString() {
    return "TcpBridgeOptions" + toJson().encode();
  }

  static String requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }

  static int requirePort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be in [0, 65535], got " + port);
    }
    return port;
  }
}
