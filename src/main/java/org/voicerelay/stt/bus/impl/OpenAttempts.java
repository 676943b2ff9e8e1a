package org.voicerelay.stt.bus.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.ResumableSession;
import org.voicerelay.stt.internal.TimerSlot;
import org.voicerelay.stt.tracing.TraceSpan;

/**
 * One open of a recognizing session for a {@link ResumableSession}: sent to {@code <prefix>.open}
 * with the same id each time (so a retry opens the same session), again after a delay while
 * another attempt may succeed ({@link SessionLoss#openMayBeRetried}), at most a given number of
 * times. The delay runs on the session's one {@link TimerSlot}; an open nobody wants any more
 * (a newer one replaced it, or the session closed) stops asking and never completes.
 */
final class OpenAttempts {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAttempts.class);

  private final Vertx vertx;
  private final TimerSlot timer;
  private final String address;
  private final DeliveryOptions delivery;
  private final long delayMs;
  /** Each open is sent with this span current, so the session it opens is traced under it. */
  private final TraceSpan parent;

  OpenAttempts(Vertx vertx, TimerSlot timer, String address, DeliveryOptions delivery, long delayMs,
      TraceSpan parent) {
    this.vertx = vertx;
    this.timer = timer;
    this.address = address;
    this.delivery = delivery;
    this.delayMs = delayMs;
    this.parent = parent;
  }

  /** The open reply, or the last failure once {@code attempts} are used or a retry cannot help. */
  Future<JsonObject> open(JsonObject request, int attempts, BooleanSupplier wanted) {
    Promise<JsonObject> opened = Promise.promise();
    attempt(request, attempts, wanted, opened);
    return opened.future();
  }

  private void attempt(JsonObject request, int left, BooleanSupplier wanted, Promise<JsonObject> opened) {
    if (!wanted.getAsBoolean()) {
      return;
    }
    Future<Message<JsonObject>> reply = parent.asParentOf(() -> vertx.eventBus().request(address, request, delivery));
    reply.map(Message::body).onComplete(ar -> {
      if (!wanted.getAsBoolean()) {
        return;
      }
      if (ar.succeeded() || !SessionLoss.openMayBeRetried(ar.cause()) || left <= 1) {
        opened.handle(ar);
        return;
      }
      LOG.debug("open failed ({}), trying again", ar.cause().getMessage());
      timer.start(delayMs, () -> attempt(request, left - 1, wanted, opened));
    });
  }
}
