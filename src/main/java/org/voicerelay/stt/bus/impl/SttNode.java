package org.voicerelay.stt.bus.impl;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.health.HealthProcedures;
import org.voicerelay.stt.health.NodeHealth;
import org.voicerelay.stt.internal.ClusterView;
import org.voicerelay.stt.protocol.GatewayUrl;

/**
 * What a node has once, however many instances of {@link SttVerticle} it runs: one per Vert.x
 * instance and prefix, joined by every instance as it starts and left as it stops. It holds the
 * node's identity, its admission control (with the one count of live sessions that
 * {@code maxSessions} limits), its meters (one registry), its health checks and the one HTTP server
 * for {@code /metrics}, {@code /health} and {@code /ready}, the TCP bridge, and the outbound
 * interceptor that marks the opens sent from this node with its id; in a cluster, it announces the
 * sessions of nodes that left ({@link NodeLossNotices}).
 *
 * <p>The first instance to join creates it with its options and starts its servers (on its own
 * context, so Vert.x also closes them when that instance's deployment is undeployed: deploy the
 * instances of a prefix as one deployment, {@code instances > 1}); the last one to leave closes
 * them. Safe to use from any thread: what it holds is
 * either immutable or thread-safe.
 */
public final class SttNode implements Shareable {

  private static final Logger LOG = LoggerFactory.getLogger(SttNode.class);
  private static final String SHARED_MAP = SttNode.class.getName();
  private static final Object JOINING = new Object();

  private final Vertx vertx;
  private final String prefix;
  private final String id;
  private final String name;
  private final AdmissionControl admission;
  private final SttMetrics metrics;
  private final NodeHealth health;
  private final List<SttClient> clients = new CopyOnWriteArrayList<>();
  private final Handler<DeliveryContext<Object>> callerMark;
  private final Promise<Void> started = Promise.promise();
  private volatile HttpServer httpServer;
  private volatile ContractBridge.Running bridge;
  private NodeLossNotices nodeLoss;
  private int instances;

  private SttNode(Vertx vertx, SttVerticleOptions options, MeterRegistry givenRegistry, Map<String, String> env) {
    this.vertx = vertx;
    this.prefix = options.getPrefix();
    this.id = ClusterView.nodeId(vertx);
    this.name = options.getNode() != null ? options.getNode()
        : env.getOrDefault("HOSTNAME", "local") + "-" + ProcessHandle.current().pid();
    this.admission = AdmissionControl.create(options);
    this.metrics = createMetrics(options, givenRegistry, admission);
    this.health = NodeHealth.create(vertx);
    String openAddress = BusContract.openAddress(prefix);
    this.callerMark = delivery -> markCaller(delivery, openAddress);
    health.readiness().register("gateway-reachable", HealthProcedures.gatewayReachable(vertx,
        GatewayUrl.resolveBase(options.getClient().getBaseUrl(), env)));
    HealthProcedures.register(health.readiness(), "circuit-breaker", this::circuitBreakers);
    HealthProcedures.register(health.readiness(), "node-saturation", () -> {
      JsonObject status = admission.status();
      return status.put("ok", !status.getBoolean("saturated"));
    });
  }

  /**
   * The node of the options' prefix, created (and its servers started) by the first instance;
   * completes once it serves. {@code client}: the instance's client, watched by the
   * {@code circuit-breaker} readiness check.
   *
   * @param givenRegistry where the meters go, if the first instance was given one
   */
  public static Future<SttNode> join(Vertx vertx, SttVerticleOptions options, MeterRegistry givenRegistry,
      Map<String, String> env, SttClient client) {
    SttNode node;
    boolean first = false;
    synchronized (JOINING) {
      LocalMap<String, SttNode> nodes = vertx.sharedData().getLocalMap(SHARED_MAP);
      node = nodes.get(options.getPrefix());
      if (node == null) {
        node = new SttNode(vertx, options, givenRegistry, env);
        nodes.put(options.getPrefix(), node);
        first = true;
      }
      node.instances++;
      node.clients.add(client);
    }
    if (first) {
      node.start(options);
    }
    SttNode joined = node;
    return node.started.future().map(v -> joined);
  }

  /** An instance stops; the last one closes the servers and removes the interceptor. */
  public Future<Void> leave(SttClient client) {
    clients.remove(client);
    synchronized (JOINING) {
      if (--instances > 0) {
        return Future.succeededFuture();
      }
      vertx.sharedData().<String, SttNode>getLocalMap(SHARED_MAP).removeIfPresent(prefix, this);
    }
    vertx.eventBus().removeOutboundInterceptor(callerMark);
    if (nodeLoss != null) {
      nodeLoss.stop();
    }
    List<Future<Void>> closing = new ArrayList<>();
    if (httpServer != null) {
      closing.add(httpServer.close());
    }
    if (bridge != null) {
      closing.add(bridge.close());
    }
    return Future.join(closing).mapEmpty();
  }

  private void start(SttVerticleOptions options) {
    vertx.eventBus().addOutboundInterceptor(callerMark);
    if (vertx.isClustered()) {
      nodeLoss = new NodeLossNotices(vertx, prefix, id);
      nodeLoss.start();
    }
    List<Future<?>> starting = new ArrayList<>();
    PrometheusMeterRegistry prometheus = PrometheusEndpoint.find(metrics.registry());
    if (options.getMetrics().isEnabled() && options.getMetrics().getPrometheus().isEnabled() && prometheus != null) {
      starting.add(PrometheusEndpoint.start(vertx, prometheus, options, health.router(vertx))
          .onSuccess(server -> httpServer = server));
    }
    if (options.getBridge().isEnabled()) {
      starting.add(ContractBridge.start(vertx, options, metrics.registry()).onSuccess(b -> bridge = b));
    }
    Future.all(starting).<Void>mapEmpty().onComplete(started);
    started.future().onSuccess(v -> LOG.info("node {} ({}) for {}: maxSessions {}{}{}", name, id,
        BusContract.openAddress(prefix), options.getMaxSessions(),
        httpServer == null ? "" : ", metrics on :" + httpServer.actualPort() + options.getMetrics().getPrometheus().getPath(),
        bridge == null ? "" : ", bridge on " + options.getBridge().getHost() + ":" + options.getBridge().getPort()));
  }

  /** The node's id in the cluster (or {@link ClusterView#LOCAL}): claims, passed-on opens, caller marks. */
  public String id() {
    return id;
  }

  /** The node's name in open replies, {@code status} and logs: {@code node}, else {@code HOSTNAME-pid}. */
  String name() {
    return name;
  }

  public AdmissionControl admission() {
    return admission;
  }

  public SttMetrics metrics() {
    return metrics;
  }

  public NodeHealth health() {
    return health;
  }

  /** The port of the metrics and health server, or -1 if it is not running. */
  public int httpPort() {
    HttpServer server = httpServer;
    return server == null ? -1 : server.actualPort();
  }

  /** Whether the TCP bridge runs. */
  public boolean bridgeRunning() {
    return bridge != null;
  }

  /** Ready unless a client's circuit breaker is open (then the gateway is failing for everyone). */
  private JsonObject circuitBreakers() {
    CircuitBreakerState state = CircuitBreakerState.CLOSED;
    for (SttClient client : clients) {
      CircuitBreakerState each = client.circuitState();
      if (each == CircuitBreakerState.OPEN) {
        state = each;
        break;
      }
      if (each == CircuitBreakerState.HALF_OPEN) {
        state = each;
      }
    }
    return new JsonObject().put("ok", state != CircuitBreakerState.OPEN).put("state", state.name());
  }

  /** Runs on the sender's thread: names this node on every open it sends (whatever a bridge client claimed). */
  private void markCaller(DeliveryContext<Object> delivery, String openAddress) {
    try {
      Message<Object> message = delivery.message();
      if (delivery.send() && openAddress.equals(message.address())) {
        message.headers().set(CallerNodeRouting.CALLER_NODE_HEADER, id);
      }
    } finally {
      delivery.next();
    }
  }

  /**
   * The node's meters: in the given registry, else Vert.x Micrometer Metrics' if Vert.x was started
   * with it, else one of the node's own; with a Prometheus registry beside it if Prometheus is on.
   */
  private static SttMetrics createMetrics(SttVerticleOptions options, MeterRegistry given, AdmissionControl admission) {
    if (!options.getMetrics().isEnabled()) {
      return SttMetrics.disabled(admission);
    }
    MeterRegistry base = given != null ? given : BackendRegistries.getDefaultNow();
    if (base == null) {
      base = options.getMetrics().getPrometheus().isEnabled() ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
          : new SimpleMeterRegistry();
    }
    if (options.getMetrics().getPrometheus().isEnabled() && PrometheusEndpoint.find(base) == null) {
      CompositeMeterRegistry both = new CompositeMeterRegistry(Clock.SYSTEM);
      both.add(base);
      both.add(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      base = both;
    }
    return new SttMetrics(base, admission);
  }
}
