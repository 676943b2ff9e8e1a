package org.voicerelay.stt.client.impl;

import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * The catch-up of a stream that comes back with others, let in by the breaker's probe or its ramp:
 * the first second of the audio it held goes at once, enough for the gateway to answer, and the
 * rest once the ramp is over (or after {@link #MAX_HOLD_MS}). Without it the first streams back
 * sent seconds of held audio each, and the gateway worked through it before it answered the
 * streams released after them: at 200 streams each doubling of the ramp took hundreds of
 * milliseconds instead of tens. A stream that reconnects on its own sends everything at once.
 */
final class CatchUpHold {

  /** The held audio a stream returning with others sends at once. */
  static final long FIRST_MS = 1_000;
  /** The longest such a stream holds the rest. */
  static final long MAX_HOLD_MS = 2_000;

  private CatchUpHold() {
  }

  /**
   * Sets how much of {@code outbox} the new {@code connection} may send, on the stream's context.
   *
   * @param onContext runs an action on the stream's context
   * @param sendPending sends what the outbox lets go, once the hold is over
   */
  static void start(GatewayConnection connection, AudioOutbox outbox, Vertx vertx, Consumer<Runnable> onContext,
      Runnable sendPending) {
    if (!connection.attempt.rampsUp()) {
      outbox.sendAll();
      return;
    }
    outbox.sendFirst(FIRST_MS);
    Runnable resume = connection.run.guard(() -> {
      outbox.sendAll();
      sendPending.run();
    });
    connection.attempt.whenRampOver(() -> onContext.accept(resume));
    vertx.setTimer(MAX_HOLD_MS, id -> resume.run());
  }
}
