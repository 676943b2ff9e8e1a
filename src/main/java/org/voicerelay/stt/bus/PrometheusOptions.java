package org.voicerelay.stt.bus;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.config.JsonTypes;
import org.voicerelay.stt.security.TlsOptions;

/**
 * The node's Prometheus scrape endpoint ({@code metrics.prometheus}), served with {@code /health}
 * and {@code /ready} on one HTTP server per node (https with {@code tls}).
 *
 * <p>JSON: {@code {"enabled":false, "host":"0.0.0.0", "port":9102, "path":"/metrics", "tls":{TlsOptions}}}.
 */
@DataObject
@JsonGen(publicConverter = false)
public class PrometheusOptions {

  public static final boolean DEFAULT_ENABLED = false;
  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 9102;
  public static final String DEFAULT_PATH = "/metrics";

  private boolean enabled = DEFAULT_ENABLED;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String path = DEFAULT_PATH;
  private TlsOptions tls = new TlsOptions();

  public PrometheusOptions() {
  }

  public PrometheusOptions(PrometheusOptions other) {
    this.enabled = other.enabled;
    this.host = other.host;
    this.port = other.port;
    this.path = other.path;
    this.tls = new TlsOptions(other.tls);
  }

  /** @throws IllegalArgumentException if a value is out of range or of the wrong JSON type */
  public PrometheusOptions(JsonObject json) {
    PrometheusOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "metrics.prometheus."), this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    PrometheusOptionsConverter.toJson(this, json);
    return json;
  }

  public boolean isEnabled() {
    return enabled;
  }

  /** Serves the metrics in Prometheus text format (needs metrics enabled). */
  public PrometheusOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getHost() {
    return host;
  }

  public PrometheusOptions setHost(String host) {
    this.host = TcpBridgeOptions.requireText("metrics.prometheus.host", host);
    return this;
  }

  public int getPort() {
    return port;
  }

  /** 0 picks a free port ({@link SttVerticle#prometheusPort()} tells which). */
  public PrometheusOptions setPort(int port) {
    this.port = TcpBridgeOptions.requirePort("metrics.prometheus.port", port);
    return this;
  }

  public String getPath() {
    return path;
  }

  public PrometheusOptions setPath(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("metrics.prometheus.path must start with '/', got " + path);
    }
    this.path = path;
    return this;
  }

  public TlsOptions getTls() {
    return tls;
  }

  /** TLS for the metrics and health server (a scraper then needs to trust its certificate). */
  public PrometheusOptions setTls(TlsOptions tls) {
    this.tls = tls == null ? new TlsOptions() : tls;
    return this;
  }
}
