package org.voicerelay.stt.bus;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.voicerelay.stt.config.JsonTypes;

/**
 * The node's meters ({@code metrics}): whether they are recorded, and their Prometheus endpoint.
 *
 * <p>JSON: {@code {"enabled":true, "prometheus":{PrometheusOptions}}}.
 */
@DataObject
@JsonGen(publicConverter = false)
public class MetricsOptions {

  public static final boolean DEFAULT_ENABLED = true;

  private boolean enabled = DEFAULT_ENABLED;
  private PrometheusOptions prometheus = new PrometheusOptions();

  public MetricsOptions() {
  }

  public MetricsOptions(MetricsOptions other) {
    this.enabled = other.enabled;
    this.prometheus = new PrometheusOptions(other.prometheus);
  }

  /** @throws IllegalArgumentException if a value is out of range or of the wrong JSON type */
  public MetricsOptions(JsonObject json) {
    MetricsOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "metrics."), this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    MetricsOptionsConverter.toJson(this, json);
    return json;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public MetricsOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public PrometheusOptions getPrometheus() {
    return prometheus;
  }

  public MetricsOptions setPrometheus(PrometheusOptions prometheus) {
    this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
    return this;
  }
}
