package org.voicerelay.stt.bus.impl;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.BusErrorCode;

/**
 * The contract's {@code closed} and {@code error} events, built here and nowhere else, so that a
 * session's own end, a resumable session's end and a lost node's notice read the same to a caller
 * ({@code docs/event-bus.md}, {@code asyncapi/stt-eventbus.json}). Numbering ({@code sessionId},
 * {@code seq}) is the publisher's.
 */
final class ContractEvents {

  private ContractEvents() {
  }

  /** {@code closed} with {@code reason}, and {@code error} when the session failed (null if not). */
  static JsonObject closed(String reason, JsonObject error) {
    JsonObject event = new JsonObject().put("type", BusContract.EVENT_CLOSED).put("reason", reason);
    if (error != null) {
      event.put("error", error);
    }
    return event;
  }

  /** {@code closed} with reason {@code failed}: the session cannot go on and is not retried. */
  static JsonObject failed(String code, String message) {
    return closed(BusContract.REASON_FAILED, error(code, message, false));
  }

  /** What survivors publish for a session whose node left the cluster. */
  static JsonObject nodeLost(String node) {
    return closed(BusContract.REASON_NODE_LOST, error(BusContract.REASON_NODE_LOST,
        "node " + node + " left the cluster; the session is lost, open a new one", false));
  }

  /** The {@code error} event of a fire-and-forget message that was refused: the session goes on. */
  static JsonObject refused(ReplyException failure) {
    return new JsonObject().put("type", BusContract.EVENT_ERROR).put("error",
        error(BusErrorCode.name(failure.failureCode()), failure.getMessage(), true)
            .put("failureCode", failure.failureCode()));
  }

  /** The {@code error} object of an event. */
  static JsonObject error(String code, String message, boolean retryable) {
    return new JsonObject().put("code", code).put("message", message).put("retryable", retryable);
  }
}
