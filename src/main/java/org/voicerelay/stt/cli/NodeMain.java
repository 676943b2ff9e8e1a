package org.voicerelay.stt.cli;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.cluster.ClusterNode;
import org.voicerelay.stt.cluster.ClusterOptions;
import org.voicerelay.stt.cluster.NodeLossWatcher;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.web.WebOptions;
import org.voicerelay.stt.web.WebVerticle;

/**
 * One node of a transcription cluster, as a process: {@code scripts/node [options]}. It joins the
 * Hazelcast cluster ({@link ClusterOptions}: flags, else {@code STT_CLUSTER_*}, else loopback
 * defaults), deploys the {@link NodeLossWatcher} and the {@link SttVerticle} (which reads
 * {@code conf/config.json} and the environment as usual; the flags below override the file), and
 * with {@code --gateway} also the local gateway, which the verticle then uses. Prints one line,
 * {@code node NAME ready ...}, on standard output once everything is up; logs go to standard
 * error. SIGTERM or Ctrl-C undeploys (sessions end cleanly) and leaves the cluster.
 */
public final class NodeMain {

  private static final String USAGE = """
      usage: node [--node NAME] [--cluster-host HOST] [--port PORT] [--members H[:P],H[:P]...]
                  [--cluster-name NAME] [--cluster-config FILE] [--gateway] [--engine sphinx4|counting]
                  [--gateway-port PORT] [--bridge-port PORT] [--bridge-host HOST] [--no-stt]
                  [--web] [--web-port PORT] [--web-host HOST]
      Joins the cluster (TCP-IP, default 127.0.0.1:5701.., members 127.0.0.1) and runs the stt verticle.
        --gateway         also run the local gateway (offline transcription) and use it
        --bridge-port P   open the TCP event-bus bridge (contract addresses only) on P
        --no-stt          take no sessions (e.g. a node that only runs the gateway)
        --web             serve the browser page and its SockJS bridge (default 127.0.0.1:7080)
      Environment: STT_CLUSTER_HOST, STT_CLUSTER_PORT, STT_CLUSTER_MEMBERS, STT_CLUSTER_NAME,
      STT_CLUSTER_CONFIG, STT_NODE, STT_NODE_GATEWAY=true, STT_GATEWAY_ENGINE, STT_GATEWAY_PORT,
      STT_BRIDGE_PORT (+ STT_BRIDGE_ENABLED=true), STT_WEB_ENABLED, STT_WEB_HOST, STT_WEB_PORT,
      STT_WEB_MAX_SESSIONS_PER_CONNECTION, and everything conf/config.json documents.""";

  /** What the command line asks for, after the environment. */
  record Settings(ClusterOptions cluster, String node, boolean gateway, String engine, int gatewayPort,
      Integer bridgePort, String bridgeHost, boolean stt, WebOptions web) {
  }

  private NodeMain() {
  }

  public static void main(String[] args) {
    Settings settings;
    try {
      settings = parse(args, System.getenv());
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
      node = ClusterNode.start(settings.cluster()).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
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

  /** Deploys the watcher, the gateway (if asked) and the verticle; the ready line. */
  static Future<String> deploy(ClusterNode node, Settings settings) {
    List<String> parts = new ArrayList<>();
    parts.add("cluster " + node.hazelcast().getCluster().getLocalMember().getAddress()
        + " (" + node.hazelcast().getCluster().getMembers().size() + " members)");
    Future<Void> chain = node.vertx().deployVerticle(new NodeLossWatcher(node.clusterManager())).mapEmpty();
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
      LocalGatewayOptions gatewayOptions = new LocalGatewayOptions().setRecognizer(settings.engine())
          .setPort(settings.gatewayPort());
      LocalGatewayVerticle gateway = new LocalGatewayVerticle(gatewayOptions);
      chain = chain.compose(v -> node.vertx().deployVerticle(gateway)).map(id -> {
        String url = "http://" + gatewayOptions.getHost() + ":" + gateway.actualPort() + "/v1";
        config.put("client", new JsonObject().put("baseUrl", url).put("apiKey", gatewayOptions.getApiKey())
            .put("apiSecret", gatewayOptions.getApiSecret()));
        parts.add("gateway ws://" + gatewayOptions.getHost() + ":" + gateway.actualPort() + "/v1 (engine "
            + settings.engine() + ")");
        return null;
      });
    }
    if (settings.stt()) {
      SttVerticle verticle = new SttVerticle();
      chain = chain.compose(v -> node.vertx().deployVerticle(verticle, new DeploymentOptions().setConfig(config)))
          .map(id -> {
            parts.add(1, "sessions on " + verticle.options().getPrefix() + ".open");
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
        + String.join(", ", parts));
  }

  /** The environment, then the arguments. */
  static Settings parse(String[] args, Map<String, String> env) {
    ClusterOptions cluster = new ClusterOptions().applyEnv(env);
    String node = env.get("STT_NODE");
    boolean gateway = Boolean.parseBoolean(env.getOrDefault("STT_NODE_GATEWAY", "false"));
    String engine = env.getOrDefault("STT_GATEWAY_ENGINE", LocalGatewayVerticle.RECOGNIZER_SPHINX4);
    int gatewayPort = number("STT_GATEWAY_PORT", env.getOrDefault("STT_GATEWAY_PORT", "0"));
    Integer bridgePort = null;
    String bridgeHost = env.getOrDefault("STT_BRIDGE_HOST", "127.0.0.1");
    boolean stt = true;
    WebOptions web = new WebOptions().applyEnv(env);
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
            case "--engine" -> engine = value;
            case "--gateway-port" -> gatewayPort = number(arg, value);
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
    new LocalGatewayOptions().setRecognizer(engine);
    return new Settings(cluster, node, gateway, engine, gatewayPort, bridgePort, bridgeHost, stt, web);
  }

  private static int number(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got " + value);
    }
  }
}
