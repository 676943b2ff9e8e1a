package org.voicerelay.stt.web;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.voicerelay.stt.config.JsonTypes;
import org.voicerelay.stt.security.BridgeAuthOptions;
import org.voicerelay.stt.security.TlsOptions;

/**
 * Options of the {@link WebVerticle}: whether it serves at all, where, for which {@code SttVerticle}
 * prefix, and the limits that keep one browser tab from taking the node.
 *
 * <p>JSON shape (every key optional):
 * <pre>
 * {"enabled":false, "host":"127.0.0.1", "port":7080, "prefix":"stt", "maxSessionsPerConnection":2,
 *  "maxRequestsPerConnection":32, "openTimeoutMs":10000, "allowedOrigins":[],
 *  "auth":{BridgeAuthOptions}, "tls":{TlsOptions}}
 * </pre>
 */
@DataObject
@JsonGen(publicConverter = false)
public class WebOptions {

  /** Opt-in: a deployed verticle with {@code enabled=false} serves nothing. */
  public static final boolean DEFAULT_ENABLED = false;
  /** The bridge has no authentication of its own: loopback unless something in front of it has. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7080;
  /** The address prefix of the {@code SttVerticle} the page talks to. */
  public static final String DEFAULT_PREFIX = "stt";
  /** Sessions one bridge connection (one page) may have open at once; a page needs one. */
  public static final int DEFAULT_MAX_SESSIONS_PER_CONNECTION = 2;
  /**
   * Unanswered requests plus event registrations per connection (the bridge's
   * {@code maxHandlersPerSocket}); the page keeps 4 audio chunks in flight.
   */
  public static final int DEFAULT_MAX_REQUESTS_PER_CONNECTION = 32;
  /** How long opening a session on the bus may take before the page is told it failed. */
  public static final long DEFAULT_OPEN_TIMEOUT_MS = 10_000;

  private boolean enabled = DEFAULT_ENABLED;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String prefix = DEFAULT_PREFIX;
  private int maxSessionsPerConnection = DEFAULT_MAX_SESSIONS_PER_CONNECTION;
  private int maxRequestsPerConnection = DEFAULT_MAX_REQUESTS_PER_CONNECTION;
  private long openTimeoutMs = DEFAULT_OPEN_TIMEOUT_MS;
  private List<String> allowedOrigins = new ArrayList<>();
  private BridgeAuthOptions auth = new BridgeAuthOptions();
  private TlsOptions tls = new TlsOptions();

  public WebOptions() {
  }

  public WebOptions(WebOptions other) {
    this.enabled = other.enabled;
    this.host = other.host;
    this.port = other.port;
    this.prefix = other.prefix;
    this.maxSessionsPerConnection = other.maxSessionsPerConnection;
    this.maxRequestsPerConnection = other.maxRequestsPerConnection;
    this.openTimeoutMs = other.openTimeoutMs;
    this.allowedOrigins = new ArrayList<>(other.allowedOrigins);
    this.auth = new BridgeAuthOptions(other.auth);
    this.tls = new TlsOptions(other.tls);
  }

  public WebOptions(JsonObject json) {
    WebOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "web."), this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    WebOptionsConverter.toJson(this, json);
    return json;
  }

  public boolean isEnabled() {
    return enabled;
  }

  /** Serves the page and the bridge; off by default. */
  public WebOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getHost() {
    return host;
  }

  public WebOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("web.host must not be empty");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** 0 picks a free port ({@link WebVerticle#actualPort()} tells which). */
  public WebOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("web.port must be in [0, 65535], got " + port);
    }
    this.port = port;
    return this;
  }

  public String getPrefix() {
    return prefix;
  }

  public WebOptions setPrefix(String prefix) {
    if (prefix == null || prefix.isBlank() || prefix.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("web.prefix must be a non-empty address prefix, got '" + prefix + "'");
    }
    this.prefix = prefix;
    return this;
  }

  public int getMaxSessionsPerConnection() {
    return maxSessionsPerConnection;
  }

  /** Open sessions per bridge connection without tokens; one more is refused with 430 (quota_exceeded). */
  public WebOptions setMaxSessionsPerConnection(int maxSessionsPerConnection) {
    if (maxSessionsPerConnection < 1) {
      throw new IllegalArgumentException("web.maxSessionsPerConnection must be >= 1, got "
          + maxSessionsPerConnection);
    }
    this.maxSessionsPerConnection = maxSessionsPerConnection;
    return this;
  }

  public int getMaxRequestsPerConnection() {
    return maxRequestsPerConnection;
  }

  /** Unanswered requests plus event registrations per connection; beyond it the bridge refuses. */
  public WebOptions setMaxRequestsPerConnection(int maxRequestsPerConnection) {
    if (maxRequestsPerConnection < 2) {
      throw new IllegalArgumentException("web.maxRequestsPerConnection must be >= 2, got "
          + maxRequestsPerConnection);
    }
    this.maxRequestsPerConnection = maxRequestsPerConnection;
    return this;
  }

  public long getOpenTimeoutMs() {
    return openTimeoutMs;
  }

  public WebOptions setOpenTimeoutMs(long openTimeoutMs) {
    if (openTimeoutMs < 1) {
      throw new IllegalArgumentException("web.openTimeoutMs must be >= 1, got " + openTimeoutMs);
    }
    this.openTimeoutMs = openTimeoutMs;
    return this;
  }

  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  /**
   * Origins (like {@code https://app.example.com}) whose pages may connect besides the endpoint's
   * own; empty: only pages served by the endpoint itself. A connection without an {@code Origin}
   * header (not a browser) is let in.
   */
  public WebOptions setAllowedOrigins(List<String> allowedOrigins) {
    Objects.requireNonNull(allowedOrigins, "web.allowedOrigins");
    List<String> checked = new ArrayList<>();
    for (String origin : allowedOrigins) {
      URI uri;
      try {
        uri = origin == null ? null : new URI(origin);
      } catch (Exception e) {
        uri = null;
      }
      if (uri == null || uri.getScheme() == null || uri.getHost() == null
          || (uri.getPath() != null && !uri.getPath().isEmpty())) {
        throw new IllegalArgumentException("web.allowedOrigins must hold origins like https://host:port, got '"
            + origin + "'");
      }
      checked.add(origin.toLowerCase());
    }
    this.allowedOrigins = checked;
    return this;
  }

  public BridgeAuthOptions getAuth() {
    return auth;
  }

  /**
   * Tokens for pages and programs on the SockJS bridge (off unless a secret or key is set); with
   * them, {@code auth.maxSessionsPerSubject} replaces {@code maxSessionsPerConnection}.
   */
  public WebOptions setAuth(BridgeAuthOptions auth) {
    this.auth = auth == null ? new BridgeAuthOptions() : auth;
    return this;
  }

  public TlsOptions getTls() {
    return tls;
  }

  /** TLS (https, wss) for the endpoint. */
  public WebOptions setTls(TlsOptions tls) {
    this.tls = tls == null ? new TlsOptions() : tls;
    return this;
  }

  @Override
  public String toString() {
    return "WebOptions" + toJson().encode();
  }
}
