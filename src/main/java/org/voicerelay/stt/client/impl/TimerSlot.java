package org.voicerelay.stt.client.impl;

import io.vertx.core.Vertx;

/**
 * At most one pending Vert.x timer: starting one cancels the one before. The stream and its
 * finishing sequence each own one, so "what happens next" is always a single scheduled action.
 * Confined to the owner's context.
 */
final class TimerSlot {

  private final Vertx vertx;
  private long id = -1;

  TimerSlot(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code action} after {@code delayMs} (at least 1 ms) unless started again or cancelled first. */
  void start(long delayMs, Runnable action) {
    cancel();
    id = vertx.setTimer(Math.max(1, delayMs), t -> {
      id = -1;
      action.run();
    });
  }

  void cancel() {
    if (id != -1) {
      vertx.cancelTimer(id);
      id = -1;
    }
  }

  boolean pending() {
    return id != -1;
  }
}
