package org.voicerelay.stt.internal;

import io.vertx.core.Vertx;

/**
 * At most one pending Vert.x timer: starting one cancels the one before, so "what happens next" is
 * always a single scheduled action whose meaning is its owner's state. The stream, the bus
 * sessions and the gateway sessions each own one. Confined to the owner's context.
 */
public final class TimerSlot {

  private final Vertx vertx;
  private long id = -1;

  public TimerSlot(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code action} after {@code delayMs} (at least 1 ms) unless started again or cancelled first. */
  public void start(long delayMs, Runnable action) {
    cancel();
    id = vertx.setTimer(Math.max(1, delayMs), t -> {
      id = -1;
      action.run();
    });
  }

  public void cancel() {
    if (id != -1) {
      vertx.cancelTimer(id);
      id = -1;
    }
  }

  public boolean pending() {
    return id != -1;
  }
}
