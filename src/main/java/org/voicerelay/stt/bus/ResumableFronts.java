package org.voicerelay.stt.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where resumable sessions are opened: on the caller's node. Vert.x spreads {@code <prefix>.open}
 * over every node that consumes it, so the node that takes a resumable open may not be the one the
 * caller is attached to. Every node therefore marks the opens sent from it with its node id (an
 * outbound interceptor adds a header), and consumes opens addressed to it alone on
 * {@code <prefix>.node.<nodeId>.open}; a node that takes a resumable open of another node's caller
 * passes it on there. So a verticle, a TCP-bridge program or a page on the SockJS bridge of node X
 * gets its front (a {@link SessionEndpoint} with a {@link ResumableBackend}) on X, and only X's own death can end its session. (A caller on a
 * node that runs no verticle gets its front on the node that took the open.)
 *
 * <p>One per verticle instance; runs on the verticle's context.
 */
final class ResumableFronts {

  /** Header naming the node an open was sent from; set by the sending node's interceptor ({@link SttNode}). */
  static final String CALLER_NODE_HEADER = "x-stt-caller-node";
  private static final Logger LOG = LoggerFactory.getLogger(ResumableFronts.class);
  private static final int RECOGNITION_OPEN_ATTEMPTS = 20;
  private static final long FORWARD_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final SttVerticleOptions options;
  private final String nodeName;
  private final SessionDirectory directory;
  private final SttMetrics metrics;
  private final String self;
  private final Map<String, SessionEndpoint> fronts = new HashMap<>();
  private MessageConsumer<Object> nodeOpens;
  private boolean stopping;

  ResumableFronts(Vertx vertx, SttVerticleOptions options, SttNode node, SessionDirectory directory) {
    this.vertx = vertx;
    this.metrics = node.metrics();
    this.options = options;
    this.nodeName = node.name();
    this.directory = directory;
    this.self = node.id();
  }

  /** The address on which node {@code nodeId} takes the resumable opens of its own callers. */
  static String nodeOpenAddress(String prefix, String nodeId) {
    return prefix + ".node." + nodeId + ".open";
  }

  /** Takes the opens passed on to this node (marked by {@link SttNode}'s interceptor), with {@code onOpen}. */
  Future<Void> start(Handler<Message<Object>> onOpen) {
    nodeOpens = vertx.eventBus().consumer(nodeOpenAddress(options.getPrefix(), self), onOpen);
    return nodeOpens.completion();
  }

  /** Ends every front (its last final transcript, then {@code closed}), aborting those not done in time. */
  Future<Void> stop(long timeoutMs) {
    stopping = true;
    List<Future<Void>> closing = new ArrayList<>();
    for (SessionEndpoint front : fronts.values()) {
      front.end(BusContract.REASON_SHUTDOWN);
      closing.add(front.closedFuture());
    }
    Promise<Void> allClosed = Promise.promise();
    Future.join(closing).onComplete(ar -> allClosed.tryComplete());
    long timer = vertx.setTimer(Math.max(1, timeoutMs), t -> {
      fronts.values().forEach(front -> front.close(BusContract.REASON_SHUTDOWN));
      allClosed.tryComplete();
    });
    return allClosed.future().compose(v -> {
      vertx.cancelTimer(timer);
      List<Future<Void>> releasing = new ArrayList<>();
      fronts.values().forEach(front -> releasing.add(front.unregister()));
      fronts.clear();
      if (nodeOpens != null) {
        releasing.add(nodeOpens.unregister());
      }
      return Future.join(releasing).mapEmpty();
    });
  }

  /**
   * Opens a resumable session for this open message: passed on to the caller's node if another
   * node sent it, else a front here ({@code id} null: a new id; else claimed cluster-wide).
   *
   */
  Future<JsonObject> open(Message<Object> message, OpenRequest request) {
    String caller = message.headers().get(CALLER_NODE_HEADER);
    if (caller == null || caller.equals(self)) {
      return openHere(request);
    }
    // resumable said explicitly: the caller's node may have another resumableByDefault
    Object body = message.body() instanceof JsonObject json ? json.copy().put("resumable", true) : message.body();
    return vertx.eventBus().<Object>request(nodeOpenAddress(options.getPrefix(), caller), body,
            new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MS))
        .map(reply -> (JsonObject) reply.body())
        .recover(err -> {
          if (err instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
            return openHere(request);
          }
          return Future.failedFuture(err);
        });
  }

  private Future<JsonObject> openHere(OpenRequest request) {
    String id = request.sessionId();
    if (id == null) {
      String fresh = SessionIds.random("f");
      return create(fresh, request).onSuccess(reply -> directory.record(fresh, reply));
    }
    SessionEndpoint existing = fronts.get(id);
    if (existing != null && existing.state() != SessionEndpoint.State.CLOSED) {
      return Future.succeededFuture(existing.openReply());
    }
    return directory.open(id, () -> create(id, request));
  }

  private Future<JsonObject> create(String id, OpenRequest request) {
    if (stopping) {
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.SHUTTING_DOWN, "the stt verticle is being undeployed"));
    }
    int sampleRate = request.sampleRate() != null ? request.sampleRate() : options.getClient().getSampleRate();
    ResumableBackend backend = new ResumableBackend(vertx, nodeName, options.getMaxBufferedBytes(),
        recognitionOptions(sampleRate, request));
    SessionEndpoint front = new SessionEndpoint(vertx, options, metrics, id, request.eventsAddress(), sampleRate,
        request.model() != null ? request.model() : options.getClient().getModel(),
        request.language() != null ? request.language() : options.getClient().getLanguage(), backend)
        .closedHandler(this::onClosed)
        .goneHandler(gone -> fronts.remove(gone.id(), gone))
        .seqReservations(seq -> directory.reserveSeq(id, seq));
    return front.start().onSuccess(reply -> fronts.put(id, front)).recover(err -> {
      front.close(BusContract.REASON_FAILED);
      front.unregister();
      if (err instanceof ReplyException e && e.failureCode() > 0) {
        return Future.failedFuture(e);
      }
      LOG.warn("resumable session {}: no node took its recognition: {}", id, err.getMessage());
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.GATEWAY_FAILURE,
          "no node took the recognition of session " + id + ": " + err.getMessage()));
    });
  }

  /** How a front's recognizing sessions are opened: the only place that says it. */
  private ResumableSessionOptions recognitionOptions(int sampleRate, OpenRequest request) {
    return new ResumableSessionOptions()
        .setPrefix(options.getPrefix())
        .setSampleRate(sampleRate)
        .setOpenAttempts(RECOGNITION_OPEN_ATTEMPTS)
        .setMaxReplayBytes(options.getFrontMaxReplayBytes())
        .setOpen(request.recognitionRequest());
  }

  private void onClosed(SessionEndpoint front) {
    directory.closed(front.id(), options.getClosedSessionLingerMs());
  }
}
