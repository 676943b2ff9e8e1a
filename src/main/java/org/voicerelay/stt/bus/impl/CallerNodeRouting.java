package org.voicerelay.stt.bus.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * Sends a resumable open to its caller's node. Vert.x spreads {@code <prefix>.open} over every
 * node that consumes it, so the node that takes a resumable open may not be the one the caller is
 * attached to, and a front (the session's addresses and held audio) belongs there: only that
 * node's own death should end the session. Every node marks the opens sent from it with its node
 * id (an outbound interceptor of {@link SttNode} adds {@link #CALLER_NODE_HEADER}) and consumes
 * the opens addressed to it alone on {@code <prefix>.node.<nodeId>.open}. A caller on a node that
 * runs no verticle gets its front on the node that took the open.
 *
 * <p>It only forwards: the session itself is opened by the {@link SessionLifecycle} of the
 * instance that ends up with the open. One per verticle instance, on its context.
 */
public final class CallerNodeRouting {

  /** Header naming the node an open was sent from; set by the sending node's interceptor ({@link SttNode}). */
  static final String CALLER_NODE_HEADER = "x-stt-caller-node";
  private static final long FORWARD_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final String prefix;
  private final String self;
  private MessageConsumer<Object> nodeOpens;

  public CallerNodeRouting(Vertx vertx, String prefix, String self) {
    this.vertx = vertx;
    this.prefix = prefix;
    this.self = self;
  }

  /** The address on which node {@code nodeId} takes the resumable opens of its own callers. */
  static String nodeOpenAddress(String prefix, String nodeId) {
    return prefix + ".node." + nodeId + ".open";
  }

  /** Takes the opens passed on to this node with {@code onOpen}. */
  public Future<Void> start(Handler<Message<Object>> onOpen) {
    nodeOpens = vertx.eventBus().consumer(nodeOpenAddress(prefix, self), onOpen);
    return nodeOpens.completion();
  }

  public Future<Void> stop() {
    return nodeOpens == null ? Future.succeededFuture() : nodeOpens.unregister();
  }

  /**
   * The reply to a resumable open: {@code here} if this node sent it (or its caller's node takes
   * no opens), else the answer of the caller's node.
   */
  public Future<JsonObject> route(Message<Object> message, Supplier<Future<JsonObject>> here) {
    String caller = message.headers().get(CALLER_NODE_HEADER);
    if (caller == null || caller.equals(self)) {
      return here.get();
    }
    // resumable said explicitly: the caller's node may have another resumableByDefault
    Object body = message.body() instanceof JsonObject json ? json.copy().put("resumable", true) : message.body();
    return vertx.eventBus().<Object>request(nodeOpenAddress(prefix, caller), body,
            new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MS))
        .map(reply -> (JsonObject) reply.body())
        .recover(err -> err instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS
            ? here.get() : Future.failedFuture(err));
  }
}
