package org.voicerelay.stt.bus;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/** How a session refuses a message, so that every kind of session answers callers the same way. */
final class Refusals {

  private Refusals() {
  }

  /**
   * A request is answered with the failure; a plain send gets an {@code error} event through
   * {@code events} instead, unless it is {@code null} (the session publishes no more events).
   */
  static void refuse(Message<?> message, ReplyException failure, Handler<JsonObject> events) {
    if (message.replyAddress() != null) {
      message.fail(failure.failureCode(), failure.getMessage());
    } else if (events != null) {
      events.handle(new JsonObject().put("type", BusContract.EVENT_ERROR).put("error", new JsonObject()
          .put("code", BusErrorCode.name(failure.failureCode()))
          .put("message", failure.getMessage())
          .put("retryable", true)
          .put("failureCode", failure.failureCode())));
    }
  }

  /** The failure for {@code what} (audio, flush, ...) sent to a session that is no longer open. */
  static ReplyException notOpen(String what, String sessionId, boolean inputEndedByCaller, boolean closed,
      String reason) {
    if (inputEndedByCaller) {
      return BusErrorCode.failure(BusErrorCode.INPUT_ENDED, what + " after end: the input of session "
          + sessionId + " is over");
    }
    return BusErrorCode.failure(BusErrorCode.SESSION_CLOSED, "session " + sessionId + " is "
        + (closed ? "closed" : "closing") + (reason == null ? "" : " (" + reason + ")"));
  }
}
