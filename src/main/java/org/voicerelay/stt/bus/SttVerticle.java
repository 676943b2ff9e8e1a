package org.voicerelay.stt.bus;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.client.SpeechStream;
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
  /**
   * How long an idempotent open waits for another node that is opening the same id: the winner's
   * consumers must be registered cluster-wide first, which took over 5 s on a loaded 2-core node;
   * under the event bus's default send timeout (30 s), so a caller still gets an answer.
   */
  private static final long CLAIM_WAIT_MS = 20_000;

  private final SttVerticleOptions givenOptions;
  private final MeterRegistry givenRegistry;
  private final Map<String, String> env;
  private final Map<String, Future<JsonObject>> opening = new HashMap<>();

  private SttVerticleOptions options;
  private SttNode node;
  private SttClient sharedClient;
  private SessionRegistry registry;
  private SttMetrics metrics;
  private SessionDirectory directory;
  private AdmissionControl admission;
  private OpenGate openGate;
  private ResumableFronts fronts;
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
      registry = new SessionRegistry();
      directory = new SessionDirectory(vertx, options.getPrefix(), CLAIM_WAIT_MS);
      fronts = new ResumableFronts(vertx, options, node, directory);
      openGate = new OpenGate(vertx, context, options.getPrefix(), this::onOpen, node, registry);
      return Future.all(openGate.start(), fronts.start(this::onOpen))
          .recover(err -> node.leave(sharedClient).transform(ar -> Future.failedFuture(err)));
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (registry == null || openGate == null) {
      return node == null ? Future.succeededFuture() : node.leave(sharedClient);
    }
    openGate.nodeLocal();
    List<Future<Void>> closing = new ArrayList<>();
    closing.add(fronts.stop(options.getShutdownTimeoutMs()));
    for (SessionEndpoint session : registry.live()) {
      session.end(BusContract.REASON_SHUTDOWN);
      closing.add(session.closedFuture());
    }
    Promise<Void> allClosed = Promise.promise();
    Future.join(closing).onComplete(ar -> allClosed.tryComplete());
    if (!closing.isEmpty()) {
      LOG.info("undeploying: ending {} sessions", closing.size());
      long timer = vertx.setTimer(Math.max(1, options.getShutdownTimeoutMs()), t -> {
        for (SessionEndpoint session : registry.live()) {
          LOG.warn("session {} did not finish within {} ms of undeploy; aborting it", session.id(),
              options.getShutdownTimeoutMs());
          session.close(BusContract.REASON_SHUTDOWN);
        }
      });
      allClosed.future().onComplete(ar -> vertx.cancelTimer(timer));
    }
    return allClosed.future().compose(v -> {
      List<Future<?>> releasing = new ArrayList<>();
      releasing.add(openGate.stop());
      releasing.add(directory.releaseAll());
      for (SessionEndpoint session : registry.all()) {
        releasing.add(session.unregister());
        registry.remove(session);
      }
      releasing.add(sharedClient.close());
      releasing.add(node.leave(sharedClient));
      return Future.join(releasing);
    });
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
    return registry == null ? List.of() : registry.all().stream().map(SessionEndpoint::id).toList();
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
      if (request.resumable()) {
        reply = fronts.open(message, request);
      } else {
        reply = request.sessionId() == null ? openNew(SessionIds.random("s"), request) : openIdempotent(request);
      }
    } catch (ReplyException e) {
      reply = Future.failedFuture(e);
    } catch (RuntimeException e) {
      LOG.warn("open failed", e);
      reply = Future.failedFuture(BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR, "open failed: " + e));
    }
    reply.onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(ar.result());
        SessionEndpoint session = registry.get(ar.result().getString("sessionId"));
        if (session != null) {
          vertx.runOnContext(v -> session.resumeEvents());
        }
      } else {
        ReplyException failure = ar.cause() instanceof ReplyException e && e.failureCode() > 0 ? e
            : BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR, "open failed: " + ar.cause().getMessage());
        metrics.error(BusErrorCode.name(failure.failureCode()));
        message.fail(failure.failureCode(), failure.getMessage());
      }
    });
  }

  /**
   * The same id opens the same session: here, by the registry; anywhere in the cluster, by the
   * id's claim in the {@link SessionDirectory}, which only one open wins.
   */
  private Future<JsonObject> openIdempotent(OpenRequest request) {
    String id = request.sessionId();
    SessionEndpoint existing = registry.get(id);
    if (existing != null) {
      return existing.state() == SessionEndpoint.State.CLOSED
          ? Future.failedFuture(BusErrorCode.failure(BusErrorCode.SESSION_CLOSED, "session " + id + " has ended"))
          : Future.succeededFuture(existing.openReply());
    }
    Future<JsonObject> pending = opening.get(id);
    if (pending != null) {
      return pending;
    }
    Future<JsonObject> opened = directory.open(id, () -> create(id, request));
    opening.put(id, opened);
    opened.onComplete(ar -> opening.remove(id));
    return opened;
  }

  /** A session without the caller's id: recorded in the directory once it is open. */
  private Future<JsonObject> openNew(String id, OpenRequest request) {
    return create(id, request).onSuccess(reply -> directory.record(id, reply));
  }

  private Future<JsonObject> create(String id, OpenRequest request) {
    if (stopping) {
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.SHUTTING_DOWN,
          "the stt verticle is being undeployed"));
    }
    AdmissionControl.Cause refused = admission.tryAdmit();
    if (refused == AdmissionControl.Cause.MAX_SESSIONS) {
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.TOO_MANY_SESSIONS, admission.refusal(refused)));
    }
    if (refused != null) {
      metrics.openRefused(refused.wireName);
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.OVERLOADED, admission.refusal(refused)));
    }
    SessionEndpoint session;
    try {
      int inputRate = request.sampleRate() != null ? request.sampleRate() : options.getClient().getSampleRate();
      SpeechStream stream = sharedClient.stream(request.streamOptions(inputRate));
      String model = request.model() != null ? request.model() : options.getClient().getModel();
      String language = request.language() != null ? request.language() : options.getClient().getLanguage();
      StreamBackend backend = new StreamBackend(vertx, node.name(), inputRate, options.getIdleTimeoutMs(), metrics, stream);
      session = new SessionEndpoint(vertx, options, metrics, id, request.eventsAddress(), inputRate, model, language,
          backend)
          .closedHandler(this::onSessionClosed)
          .goneHandler(registry::remove)
          .seqReservations(seq -> directory.reserveSeq(id, seq));
      LOG.info("session {} opened: model={} language={} inputRate={}", id, model, language, inputRate);
    } catch (IllegalArgumentException e) {
      admission.release();
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.BAD_REQUEST, e.getMessage()));
    } catch (RuntimeException e) {
      admission.release();
      LOG.warn("cannot open session {}", id, e);
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR, "cannot open session: " + e));
    }
    registry.add(session);
    metrics.sessionOpened();
    return session.start().recover(err -> {
      session.close(BusContract.REASON_FAILED);
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR,
          "cannot register the addresses of session " + id + ": " + err.getMessage()));
    });
  }

  private void onSessionClosed(SessionEndpoint session) {
    admission.release();
    directory.closed(session.id(), options.getClosedSessionLingerMs());
    metrics.sessionClosed(session.reason());
  }

  /** The verticle's client options; sessions add their own model, language, extra and fallback. */
  private SttOptions clientOptions() {
    return new SttOptions(options.getClient()).setMaxBufferedBytes(options.getMaxBufferedBytes());
  }
}
