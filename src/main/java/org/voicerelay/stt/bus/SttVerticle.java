package org.voicerelay.stt.bus;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.impl.AdmissionControl;
import org.voicerelay.stt.bus.impl.CallerNodeRouting;
import org.voicerelay.stt.bus.impl.OpenGate;
import org.voicerelay.stt.bus.impl.OpenRequest;
import org.voicerelay.stt.bus.impl.SessionLifecycle;
import org.voicerelay.stt.bus.impl.SttMetrics;
import org.voicerelay.stt.bus.impl.SttNode;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.config.NodeConfig;
import org.voicerelay.stt.health.NodeHealth;

/**
 * The event-bus service: consumes {@code <prefix>.open} and runs every session it opens, each on
 * addresses of its own with one gateway WebSocket behind it. Everything on the bus is JSON or a
 * Buffer, so any JVM language, a bridge client or another cluster node can use all of it; the
 * contract is in {@code docs/event-bus.md} and {@code asyncapi/stt-eventbus.json}.
 *
 * <p>Admission control ({@link NodeLoad}, {@code docs/operations.md}): a session is opened only
 * while its worst-case audio fits the node audio budget, the node is not saturated and it has not
 * admitted {@code maxAdmissionsPerSecond} sessions in the last second (slow start). A saturated
 * node stops consuming {@code <prefix>.open} cluster-wide, so a cluster sends opens to other nodes
 * ({@link OpenGate}); when no node admits, the open gets 503 {@code overloaded}. Opened sessions
 * are never shed.
 *
 * <p>Deployed by class name it reads {@code conf/config.json}, the deployment config and the
 * environment ({@link NodeConfig}); given {@link SttVerticleOptions} it uses exactly those.
 * Several instances may be deployed: opens are spread over them, and they share one
 * {@link SttNode} (admission with {@code maxSessions} for the whole node, meters, the metrics and
 * health server, the bridge). A session lives on the instance (and node) that opened it.
 *
 * <p>Undeploying takes the open consumer off the cluster at once, then ends every session cleanly:
 * finalize, the last final transcript, the {@code closed} event; sessions still busy after
 * {@code shutdownTimeoutMs} are aborted.
 */
public class SttVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(SttVerticle.class);

  private final SttVerticleOptions givenOptions;
  private final MeterRegistry givenRegistry;
  private final Map<String, String> env;

  private SttVerticleOptions options;
  private SttNode node;
  private SttClient sharedClient;
  private SttMetrics metrics;
  private AdmissionControl admission;
  private SessionLifecycle sessions;
  private CallerNodeRouting routing;
  private OpenGate openGate;
  private boolean stopping;

  /** Reads {@code conf/config.json}, the deployment config and the environment. */
  public SttVerticle() {
    this(null, null, System.getenv());
  }

  /** Uses exactly these options (the client still reads unset credentials from the environment). */
  public SttVerticle(SttVerticleOptions options) {
    this(options, null);
  }

  /**
   * @param registry where the meters go; null: the registry of Vert.x Micrometer Metrics if Vert.x
   *     was started with it, else a registry of the verticle's own
   */
  public SttVerticle(SttVerticleOptions options, MeterRegistry registry) {
    this(options, registry, Map.of());
  }

  SttVerticle(SttVerticleOptions options, MeterRegistry registry, Map<String, String> env) {
    this.givenOptions = options == null ? null : new SttVerticleOptions(options);
    this.givenRegistry = registry;
    this.env = env;
  }

  @Override
  public Future<?> start() {
    Future<SttVerticleOptions> loaded = givenOptions != null ? Future.succeededFuture(givenOptions)
        : NodeConfig.load(vertx, config(), env).map(SttVerticleOptions::new);
    return loaded.compose(opts -> {
      options = opts;
      BusContract.checkEventsPrefixes(opts.getPrefix(), opts.getAllowedEventsPrefixes());
      AudioCodec.register(vertx);
      sharedClient = SttClient.create(vertx, clientOptions());
      return SttNode.join(vertx, opts, givenRegistry, env, sharedClient);
    }).compose(joined -> {
      node = joined;
      admission = node.admission();
      metrics = node.metrics();
      sessions = new SessionLifecycle(vertx, options, node, sharedClient);
      routing = new CallerNodeRouting(vertx, options.getPrefix(), node.id());
      openGate = new OpenGate(vertx, context, options.getPrefix(), this::onOpen, node, sessions.registry());
      return Future.all(openGate.start(), routing.start(this::onOpen))
          .recover(err -> node.leave(sharedClient).transform(ar -> Future.failedFuture(err)));
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (sessions == null || openGate == null) {
      return node == null ? Future.succeededFuture() : node.leave(sharedClient);
    }
    openGate.nodeLocal();
    return sessions.stop().compose(v -> Future.join(openGate.stop(), routing.stop(), sharedClient.close(),
        node.leave(sharedClient)));
  }

  /** The options in use (after config loading), or null before start. */
  public SttVerticleOptions options() {
    return options == null ? null : new SttVerticleOptions(options);
  }

  /** The node's liveness and readiness checks, served beside {@code /metrics}; null until started. */
  public NodeHealth health() {
    return node == null ? null : node.health();
  }

  /** The port of the node's Prometheus and health endpoint, or -1 if it is not running. */
  public int prometheusPort() {
    return node == null ? -1 : node.httpPort();
  }

  /** The configured port of the node's TCP bridge, or -1 if it is not running. */
  public int bridgePort() {
    return node == null || !node.bridgeRunning() ? -1 : options.getBridge().getPort();
  }

  /** The load of this node (shared by every instance of the verticle with the same prefix), or null before start. */
  public NodeLoad nodeLoad() {
    return admission;
  }

  /** The ids of the sessions this instance serves (live or lingering); on the instance's context. */
  List<String> sessionIds() {
    return sessions == null ? List.of() : sessions.ids();
  }

  /** The registry the verticle's meters are in. */
  public MeterRegistry meterRegistry() {
    return metrics == null ? null : metrics.registry();
  }

  // ---------------------------------------------------------------- open

  private void onOpen(Message<Object> message) {
    Future<JsonObject> reply;
    try {
      if (stopping) {
        throw BusErrorCode.failure(BusErrorCode.SHUTTING_DOWN, "the stt verticle is being undeployed");
      }
      OpenRequest request = OpenRequest.parse(message.body(), options);
      reply = request.resumable() ? routing.route(message, () -> sessions.open(request, message.headers()))
          : sessions.open(request, message.headers());
    } catch (ReplyException e) {
      reply = Future.failedFuture(e);
    } catch (RuntimeException e) {
      LOG.warn("open failed", e);
      reply = Future.failedFuture(BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR, "open failed: " + e));
    }
    reply.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
        sessions.replied(ar.result().getString("sessionId"));
      } else {
        ReplyException failure = BusErrorCode.of(ar.cause(), BusErrorCode.INTERNAL_ERROR, "open failed");
        metrics.error(BusErrorCode.name(failure.failureCode()));
        message.fail(failure.failureCode(), failure.getMessage());
      }
    });
  }

  /** The verticle's client options; sessions add their own model, language, extra and fallback. */
  private SttOptions clientOptions() {
    return new SttOptions(options.getClient()).setMaxBufferedBytes(options.getMaxBufferedBytes());
  }
}
