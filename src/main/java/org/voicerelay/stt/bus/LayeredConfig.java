package org.voicerelay.stt.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Map;

/**
 * The configuration of a verticle deployed by class name, in three layers, each overriding the
 * one before: the config file ({@code conf/config.json}, or the path in the deployment config key
 * {@code configFile} or the variable {@code STT_CONFIG_FILE}; a missing default file is no error),
 * the deployment config (merged deeply), then environment variables ({@link #ENV_KEYS}). The file
 * is read with the asynchronous file system, so nothing blocks the event loop.
 */
final class LayeredConfig {

  static final String DEFAULT_CONFIG_FILE = "conf/config.json";

  /** Environment variable to the JSON path (dot-separated) it overrides. */
  static final Map<String, String> ENV_KEYS = Map.ofEntries(
      Map.entry("STT_PREFIX", "prefix"),
      Map.entry("STT_MAX_SESSIONS", "maxSessions"),
      Map.entry("STT_MAX_BUFFERED_BYTES", "maxBufferedBytes"),
      Map.entry("STT_IDLE_TIMEOUT_MS", "idleTimeoutMs"),
      Map.entry("STT_MAX_AUDIO_MESSAGE_BYTES", "maxAudioMessageBytes"),
      Map.entry("STT_ALLOWED_EVENTS_PREFIXES", "allowedEventsPrefixes"),
      Map.entry("STT_NODE", "node"),
      Map.entry("STT_NODE_AUDIO_BUDGET_BYTES", "nodeAudioBudgetBytes"),
      Map.entry("STT_MAX_EVENT_LOOP_LAG_MS", "maxEventLoopLagMs"),
      Map.entry("STT_ADMISSION_RECOVERY_MS", "admissionRecoveryMs"),
      Map.entry("STT_METRICS_ENABLED", "metrics.enabled"),
      Map.entry("STT_PROMETHEUS_ENABLED", "metrics.prometheus.enabled"),
      Map.entry("STT_PROMETHEUS_PORT", "metrics.prometheus.port"),
      Map.entry("STT_BRIDGE_ENABLED", "bridge.enabled"),
      Map.entry("STT_BRIDGE_HOST", "bridge.host"),
      Map.entry("STT_BRIDGE_PORT", "bridge.port"),
      Map.entry("STT_MODEL", "client.model"),
      Map.entry("STT_LANGUAGE", "client.language"),
      Map.entry("LIVEKIT_INFERENCE_URL", "client.baseUrl"),
      Map.entry("LIVEKIT_INFERENCE_API_KEY", "client.apiKey"),
      Map.entry("LIVEKIT_INFERENCE_API_SECRET", "client.apiSecret"));

  private LayeredConfig() {
  }

  static Future<SttVerticleOptions> load(Vertx vertx, JsonObject deploymentConfig, Map<String, String> env) {
    String explicit = deploymentConfig.getString("configFile", env.get("STT_CONFIG_FILE"));
    String path = explicit != null ? explicit : DEFAULT_CONFIG_FILE;
    return vertx.fileSystem().exists(path)
        .compose(exists -> {
          if (!exists) {
            return explicit == null ? Future.succeededFuture(new JsonObject())
                : Future.failedFuture(new IllegalArgumentException("config file " + path + " does not exist"));
          }
          return vertx.fileSystem().readFile(path).map(buffer -> {
            try {
              return buffer.toJsonObject();
            } catch (DecodeException e) {
              throw new IllegalArgumentException("config file " + path + " is not a JSON object: "
                  + e.getMessage());
            }
          });
        })
        .map(file -> {
          JsonObject merged = file.mergeIn(deploymentConfig.copy(), true);
          merged.remove("configFile");
          return new SttVerticleOptions(applyEnv(merged, env));
        });
  }

  static JsonObject applyEnv(JsonObject config, Map<String, String> env) {
    for (Map.Entry<String, String> e : ENV_KEYS.entrySet()) {
      String value = env.get(e.getKey());
      if (value == null || value.isBlank()) {
        continue;
      }
      String[] path = e.getValue().split("\\.");
      JsonObject target = config;
      for (int i = 0; i < path.length - 1; i++) {
        JsonObject next = target.getJsonObject(path[i]);
        if (next == null) {
          next = new JsonObject();
          target.put(path[i], next);
        }
        target = next;
      }
      target.put(path[path.length - 1], typed(e.getKey(), value.trim()));
    }
    return config;
  }

  private static Object typed(String variable, String value) {
    if (variable.endsWith("_ENABLED")) {
      return Boolean.parseBoolean(value);
    }
    if (variable.endsWith("_PREFIXES")) {
      return new JsonArray(Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
    if (variable.endsWith("_MS") || variable.endsWith("_BYTES") || variable.endsWith("_SESSIONS")
        || variable.endsWith("_PORT")) {
      try {
        return Long.parseLong(value) <= Integer.MAX_VALUE && !variable.endsWith("_MS")
            ? Integer.parseInt(value) : Long.parseLong(value);
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(variable + " must be a whole number, got '" + value + "'");
      }
    }
    return value;
  }
}
