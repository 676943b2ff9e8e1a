package org.voicerelay.stt.cli;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.voicerelay.stt.bus.MetricsOptions;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.cluster.ClusterNode;
import org.voicerelay.stt.cluster.ClusterOptions;
import org.voicerelay.stt.config.NodeConfig;
import org.voicerelay.stt.health.HealthProcedures;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.web.WebOptions;
import org.voicerelay.stt.web.WebVerticle;

/**
 * One node of a transcription cluster, as a process: {@code scripts/node [options]}. It reads the
 * node's configuration ({@link NodeConfig}: {@code conf/config.json}, the environment, system
 * properties; the flags below win over all of them), joins the Hazelcast cluster (its
 * {@code cluster} section, else loopback defaults), deploys the {@link SttVerticle} (which reads
 * {@code conf/config.json} and the environment as usual; the flags below override the file), and
 * with {@code --gateway} also the local gateway, which the verticle then uses. Prints one line,
 * {@code node NAME ready ...}, on standard output once everything is up; logs go to standard
 * error. SIGTERM or Ctrl-C undeploys (sessions end cleanly) and leaves the cluster.
 */
public final class NodeMain {

  private static final String USAGE = Usage.of("node");

  /** What the command line asks for, over the configuration. */
  record Settings(ClusterOptions cluster, String node, boolean gateway, LocalGatewayOptions gatewayOptions,
      Integer bridgePort, String bridgeHost, boolean stt, WebOptions web, VertxOptions vertx) {
  }

  private NodeMain() {
  }

  public static void main(String[] args) {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.println(USAGE);
      return;
    }
    Settings settings;
    try {
      settings = parse(args, configuration());
    } catch (IllegalArgumentException e) {
      PrintStream out = e.getMessage() == null ? System.out : System.err;
      if (e.getMessage() != null) {
        out.println("node: " + e.getMessage());
      }
      out.println(USAGE);
      System.exit(e.getMessage() == null ? 0 : 2);
      return;
    }
    ClusterNode node;
    String ready;
    try {
      node = ClusterNode.start(settings.cluster(), settings.vertx()).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      ready = deploy(node, settings).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("node: failed to start: " + cause);
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> node.close().toCompletionStage().toCompletableFuture()
        .completeOnTimeout(null, 20, TimeUnit.SECONDS).join(), "node-shutdown"));
    System.out.println(ready);
    System.out.flush();
  }

  /** The node's configuration; read with a Vert.x of its own, since the clustered one needs it first. */
  private static JsonObject configuration() {
    Vertx vertx = Vertx.vertx();
    try {
      return NodeConfig.load(vertx, new JsonObject()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("configuration not read: " + e, e);
    } finally {
      vertx.close();
    }
  }

  /** Deploys the gateway (if asked) and the verticle; the ready line. */
  static Future<String> deploy(ClusterNode node, Settings settings) {
    List<String> parts = new ArrayList<>();
    parts.add("cluster " + node.hazelcast().getCluster().getLocalMember().getAddress()
        + " (" + node.hazelcast().getCluster().getMembers().size() + " members)");
    Future<Void> chain = Future.succeededFuture();
    JsonObject config = new JsonObject();
    if (settings.node() != null) {
      config.put("node", settings.node());
    }
    if (settings.bridgePort() != null) {
      config.put("bridge", new JsonObject().put("enabled", true).put("port", settings.bridgePort())
          .put("host", settings.bridgeHost()));
      parts.add("bridge " + settings.bridgeHost() + ":" + settings.bridgePort());
    }
    if (settings.gateway()) {
      LocalGatewayOptions gatewayOptions = settings.gatewayOptions();
      LocalGatewayVerticle gateway = new LocalGatewayVerticle(gatewayOptions);
      chain = chain.compose(v -> node.vertx().deployVerticle(gateway)).map(id -> {
        String url = "http://" + gatewayOptions.getHost() + ":" + gateway.actualPort() + "/v1";
        config.put("client", new JsonObject().put("baseUrl", url).put("apiKey", gatewayOptions.getApiKey())
            .put("apiSecret", gatewayOptions.getApiSecret()));
        parts.add("gateway ws://" + gatewayOptions.getHost() + ":" + gateway.actualPort() + "/v1 (engine "
            + gatewayOptions.getRecognizer() + ")");
        return null;
      });
    }
    if (settings.stt()) {
      SttVerticle verticle = new SttVerticle();
      chain = chain.compose(v -> node.vertx().deployVerticle(verticle, new DeploymentOptions().setConfig(config)))
          .map(id -> {
            parts.add(1, "sessions on " + verticle.options().getPrefix() + ".open");
            verticle.health().readiness().register("cluster-membership",
                HealthProcedures.clusterMembership(node.clusterManager()));
            settings.web().setPrefix(verticle.options().getPrefix());
            return null;
          });
    }
    if (settings.web().isEnabled()) {
      chain = chain.compose(v -> {
        WebVerticle web = new WebVerticle(settings.web());
        return node.vertx().deployVerticle(web).map(id -> {
          parts.add("web http://" + settings.web().getHost() + ":" + web.actualPort() + "/");
          return null;
        });
      });
    }
    return chain.map(v -> "node " + (settings.node() != null ? settings.node() : node.nodeId()) + " ready: "
        + String.join(", ", parts) + "; transport " + (node.vertx().isNativeTransportEnabled() ? "epoll" : "NIO"));
  }

  /** The configuration ({@link NodeConfig}'s JSON), then the arguments. */
  static Settings parse(String[] args, JsonObject config) {
    ClusterOptions cluster = new ClusterOptions(config.getJsonObject("cluster", new JsonObject()));
    String node = config.getString("node");
    JsonObject gatewayConfig = config.getJsonObject("gateway", new JsonObject());
    boolean gateway = gatewayConfig.getBoolean("enabled", false);
    LocalGatewayOptions gatewayOptions = new LocalGatewayOptions(gatewayConfig);
    Integer bridgePort = null;
    String bridgeHost = config.getJsonObject("bridge", new JsonObject()).getString("host", "127.0.0.1");
    boolean stt = true;
    WebOptions web = new WebOptions(config.getJsonObject("web", new JsonObject()));
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> throw new IllegalArgumentException((String) null);
        case "--gateway" -> gateway = true;
        case "--no-stt" -> stt = false;
        case "--web" -> web.setEnabled(true);
        default -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(arg.startsWith("--") ? arg + " needs a value" : "unexpected " + arg);
          }
          String value = args[++i];
          switch (arg) {
            case "--node" -> node = value;
            case "--cluster-host" -> cluster.setHost(value);
            case "--port" -> cluster.setPort(number(arg, value));
            case "--members" -> cluster.setMembers(ClusterOptions.splitMembers(value));
            case "--cluster-name" -> cluster.setClusterName(value);
            case "--cluster-config" -> cluster.setConfigFile(value);
            case "--engine" -> gatewayOptions.setRecognizer(value);
            case "--gateway-port" -> gatewayOptions.setPort(number(arg, value));
            case "--bridge-port" -> bridgePort = number(arg, value);
            case "--bridge-host" -> bridgeHost = value;
            case "--web-port" -> web.setEnabled(true).setPort(number(arg, value));
            case "--web-host" -> web.setEnabled(true).setHost(value);
            default -> throw new IllegalArgumentException("unknown option " + arg);
          }
        }
      }
    }
    if (!stt && !gateway) {
      throw new IllegalArgumentException("--no-stt without --gateway leaves the node nothing to do");
    }
    return new Settings(cluster, node, gateway, gatewayOptions, bridgePort, bridgeHost, stt, web, vertxOptions(config));
  }

  /**
   * The node's Vert.x: epoll where it loads, and with {@code metrics.prometheus.enabled} Vert.x
   * Micrometer Metrics with a Prometheus registry, so that the node's {@code /metrics} serves the
   * client's meters too (deafness, turn latency, replayed audio, the breaker), which go to Vert.x's
   * default registry. Vert.x's own meters (HTTP, event bus, ...) stay off: they would cost every
   * frame of every stream something and the dashboard does not read them.
   */
  static VertxOptions vertxOptions(JsonObject config) {
    VertxOptions options = new VertxOptions().setPreferNativeTransport(true); // epoll where it loads
    MetricsOptions metrics = new MetricsOptions(config.getJsonObject("metrics", new JsonObject()));
    if (metrics.isEnabled() && metrics.getPrometheus().isEnabled()) {
      options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
          .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
          .setDisabledMetricsCategories(Arrays.stream(MetricsDomain.values()).map(MetricsDomain::toCategory)
              .collect(Collectors.toSet())));
    }
    return options;
  }

  private static int number(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got " + value);
    }
  }
}
