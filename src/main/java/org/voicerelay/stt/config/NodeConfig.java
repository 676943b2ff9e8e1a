package org.voicerelay.stt.config;

import static org.voicerelay.stt.config.Variable.bool;
import static org.voicerelay.stt.config.Variable.list;
import static org.voicerelay.stt.config.Variable.number;
import static org.voicerelay.stt.config.Variable.string;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Where a node's configuration comes from, decided once for every program and verticle: a
 * vertx-config {@link ConfigRetriever} with these stores, each overriding the ones before it
 * (objects are merged key by key):
 * <ol>
 *   <li>the config file: {@code conf/config.json}, or the path in the deployment config's
 *       {@code configFile}, or in {@code STT_CONFIG_FILE}; a missing default file is no error, a
 *       missing named file or one that is not a JSON object is;</li>
 *   <li>the deployment config (or what a program's flags ask for);</li>
 *   <li>the environment variables of {@link #VARIABLES};</li>
 *   <li>system properties of the same names ({@code -DSTT_MAX_SESSIONS=10}).</li>
 * </ol>
 * The JSON has the shape of {@code conf/config.json}: the {@code SttVerticle}'s options at the top,
 * and the sections {@code web}, {@code cluster} and {@code gateway}.
 */
public final class NodeConfig {

  public static final String DEFAULT_FILE = "conf/config.json";
  /** The deployment-config key that names another config file. */
  public static final String FILE_KEY = "configFile";
  /** The variable that names another config file. */
  public static final String FILE_VARIABLE = "STT_CONFIG_FILE";

  /** The variables a node reads, in the order they are applied (a later one wins on the same path). */
  public static final List<Variable> VARIABLES = List.of(
      string("STT_PREFIX", "prefix"),
      number("STT_MAX_SESSIONS", "maxSessions"),
      number("STT_MAX_BUFFERED_BYTES", "maxBufferedBytes"),
      number("STT_IDLE_TIMEOUT_MS", "idleTimeoutMs"),
      number("STT_MAX_AUDIO_MESSAGE_BYTES", "maxAudioMessageBytes"),
      list("STT_ALLOWED_EVENTS_PREFIXES", "allowedEventsPrefixes"),
      string("STT_NODE", "node"),
      number("STT_NODE_AUDIO_BUDGET_BYTES", "admission.nodeAudioBudgetBytes"),
      number("STT_MAX_EVENT_LOOP_LAG_MS", "admission.maxEventLoopLagMs"),
      number("STT_ADMISSION_RECOVERY_MS", "admission.admissionRecoveryMs"),
      number("STT_MAX_ADMISSIONS_PER_SECOND", "admission.maxAdmissionsPerSecond"),
      bool("STT_RESUMABLE_BY_DEFAULT", "resumableByDefault"),
      number("STT_FRONT_MAX_REPLAY_BYTES", "frontMaxReplayBytes"),
      bool("STT_METRICS_ENABLED", "metrics.enabled"),
      bool("STT_PROMETHEUS_ENABLED", "metrics.prometheus.enabled"),
      number("STT_PROMETHEUS_PORT", "metrics.prometheus.port"),
      bool("STT_BRIDGE_ENABLED", "bridge.enabled"),
      string("STT_BRIDGE_HOST", "bridge.host"),
      number("STT_BRIDGE_PORT", "bridge.port"),
      string("STT_BRIDGE_JWT_SECRET", "bridge.auth.jwtSecret"),
      string("STT_BRIDGE_JWKS_URL", "bridge.auth.jwksUrl"),
      string("STT_BRIDGE_JWKS_PATH", "bridge.auth.jwksPath"),
      number("STT_BRIDGE_MAX_SESSIONS_PER_SUBJECT", "bridge.auth.maxSessionsPerSubject"),
      bool("STT_BRIDGE_TLS_ENABLED", "bridge.tls.enabled"),
      string("STT_BRIDGE_TLS_KEY_STORE", "bridge.tls.keyStorePath"),
      string("STT_BRIDGE_TLS_KEY_STORE_PASSWORD", "bridge.tls.keyStorePassword"),
      string("STT_MODEL", "client.model"),
      string("STT_LANGUAGE", "client.language"),
      string("LIVEKIT_INFERENCE_URL", "client.baseUrl"),
      string("LIVEKIT_INFERENCE_API_KEY", "client.apiKey"),
      string("LIVEKIT_INFERENCE_API_SECRET", "client.apiSecret"),
      bool("STT_WEB_ENABLED", "web.enabled"),
      string("STT_WEB_HOST", "web.host"),
      number("STT_WEB_PORT", "web.port"),
      number("STT_WEB_MAX_SESSIONS_PER_CONNECTION", "web.maxSessionsPerConnection"),
      string("STT_WEB_JWT_SECRET", "web.auth.jwtSecret"),
      bool("STT_WEB_TLS_ENABLED", "web.tls.enabled"),
      string("STT_WEB_TLS_KEY_STORE", "web.tls.keyStorePath"),
      string("STT_WEB_TLS_KEY_STORE_PASSWORD", "web.tls.keyStorePassword"),
      string("STT_CLUSTER_CONFIG", "cluster.configFile"),
      string("STT_CLUSTER_NAME", "cluster.clusterName"),
      string("STT_CLUSTER_HOST", "cluster.host"),
      number("STT_CLUSTER_PORT", "cluster.port"),
      list("STT_CLUSTER_MEMBERS", "cluster.members"),
      string("STT_EVENTBUS_HOST", "cluster.eventBusHost"),
      number("STT_EVENTBUS_PORT", "cluster.eventBusPort"),
      number("STT_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "cluster.maxNoHeartbeatSeconds"),
      bool("STT_CLUSTER_TLS_ENABLED", "cluster.tls.enabled"),
      string("STT_CLUSTER_TLS_KEY_STORE", "cluster.tls.keyStorePath"),
      string("STT_CLUSTER_TLS_KEY_STORE_PASSWORD", "cluster.tls.keyStorePassword"),
      string("STT_CLUSTER_TLS_TRUST_STORE", "cluster.tls.trustStorePath"),
      string("STT_CLUSTER_TLS_TRUST_STORE_PASSWORD", "cluster.tls.trustStorePassword"),
      bool("STT_NODE_GATEWAY", "gateway.enabled"),
      string("STT_GATEWAY_HOST", "gateway.host"),
      number("STT_GATEWAY_PORT", "gateway.port"),
      string("STT_GATEWAY_ENGINE", "gateway.recognizer"),
      string("STT_GATEWAY_RECOGNIZER", "gateway.recognizer"));

  private NodeConfig() {
  }

  /** Loads the configuration once, with the process's environment and system properties. */
  public static Future<JsonObject> load(Vertx vertx, JsonObject deploymentConfig) {
    return load(vertx, deploymentConfig, null);
  }

  /**
   * Loads the configuration once; {@code env} stands for the process environment when given
   * (tests, embedding applications), else the environment itself is read.
   */
  public static Future<JsonObject> load(Vertx vertx, JsonObject deploymentConfig, Map<String, String> env) {
    String named = deploymentConfig.getString(FILE_KEY, variable(env, FILE_VARIABLE));
    return retrieve(vertx, named != null ? named : DEFAULT_FILE, named != null, deploymentConfig, env, VARIABLES);
  }

  /**
   * Retrieves a configuration once from the stores of {@link #retrieverOptions}.
   *
   * @param file the config file, or null for none
   * @param fileRequired whether a missing file is an error (else it is left out)
   */
  public static Future<JsonObject> retrieve(Vertx vertx, String file, boolean fileRequired, JsonObject base,
      Map<String, String> env, List<Variable> variables) {
    Future<Boolean> present = file == null ? Future.succeededFuture(false) : vertx.fileSystem().exists(file);
    return present.compose(exists -> {
      if (file != null && !exists && fileRequired) {
        return Future.failedFuture(new IllegalArgumentException("config file " + file + " does not exist"));
      }
      ConfigRetriever retriever = ConfigRetriever.create(vertx,
          retrieverOptions(exists ? file : null, base, env, variables));
      return retriever.getConfig()
          .recover(e -> Future.failedFuture(new IllegalArgumentException(
              "configuration from " + (exists ? file + ", " : "") + "the environment and system properties: "
                  + e.getMessage(), e)))
          .onComplete(ar -> retriever.close());
    });
  }

  /**
   * The retriever's stores in precedence order, for a program that wants its own retriever (for
   * instance to {@code listen} for changes of the file).
   *
   * @param file the config file, or null for none
   * @param base the layer between the file and the environment (deployment config, flags)
   * @param env the environment to use, or null for the process's own
   * @param variables the variables to read from the environment and the system properties
   */
  public static ConfigRetrieverOptions retrieverOptions(String file, JsonObject base, Map<String, String> env,
      List<Variable> variables) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setIncludeDefaultStores(false);
    if (file != null) {
      options.addStore(new ConfigStoreOptions().setType("file").setFormat("json")
          .setConfig(new JsonObject().put("path", file)));
    }
    JsonObject given = base.copy();
    given.remove(FILE_KEY);
    options.addStore(new ConfigStoreOptions().setType("json").setConfig(given));
    JsonObject table = table(variables);
    if (env == null) {
      JsonArray names = new JsonArray(variables.stream().map(Variable::name).distinct().toList());
      options.addStore(new ConfigStoreOptions().setType("env").setFormat(VariablesFormat.NAME)
          .setConfig(table.copy().put("keys", names).put("raw-data", true)));
    } else {
      JsonObject values = new JsonObject();
      variables.forEach(v -> {
        if (env.containsKey(v.name())) {
          values.put(v.name(), env.get(v.name()));
        }
      });
      options.addStore(new ConfigStoreOptions().setType("json").setFormat(VariablesFormat.NAME)
          .setConfig(values.mergeIn(table)));
    }
    options.addStore(new ConfigStoreOptions().setType("sys").setFormat(VariablesFormat.NAME)
        .setConfig(table.copy().put("raw-data", true).put("cache", false)));
    return options;
  }

  private static JsonObject table(List<Variable> variables) {
    JsonObject table = new JsonObject();
    for (Variable v : variables) {
      table.put(v.name(), new JsonObject().put("path", v.path()).put("type", v.type().name()));
    }
    return new JsonObject().put("variables", table);
  }

  private static String variable(Map<String, String> env, String name) {
    String value = env != null ? env.get(name) : System.getenv(name);
    if (value == null || value.isBlank()) {
      value = System.getProperty(name);
    }
    return value == null || value.isBlank() ? null : value;
  }
}
