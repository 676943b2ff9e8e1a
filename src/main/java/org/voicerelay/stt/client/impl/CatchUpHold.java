package org.voicerelay.stt.client.impl;

import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * The catch-up of a stream that comes back with others: the first second of the audio it held
 * goes at once, enough for the gateway to answer, and the rest once the others have their answer
 * too ({@link GatewayBreaker.Attempt#whenCatchUpMayGo}, or after {@link #MAX_HOLD_MS}). Others are
 * the streams let in by the breaker's probe and ramp, or streams that reconnected on their own at
 * the same moment, as every stream does when a silent gateway's liveness deadline passes. Without
 * it the first streams back sent seconds of held audio each, and the gateway worked through it
 * before it answered the streams after them: at 200 streams each doubling of the ramp took hundreds
 * of milliseconds instead of tens, and 100 streams leaving a silent gateway took up to 2.2 s to hear
 * again instead of 0.2. A stream that comes back alone sends everything at once.
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
    if (!outbox.sendFirst(FIRST_MS)) {
      outbox.sendAll(); // no more than the first second waits: nothing to hold
      return;
    }
    Resume resume = new Resume(vertx, connection.run.guard(() -> {
      outbox.sendAll();
      sendPending.run();
    }));
    resume.timer = vertx.setTimer(MAX_HOLD_MS, id -> resume.run());
    connection.attempt.whenCatchUpMayGo(() -> onContext.accept(resume));
  }

  /** Ends the hold once, by the breaker's word or the timer, whichever comes first; on the stream's context. */
  private static final class Resume implements Runnable {
    private final Vertx vertx;
    private final Runnable sendRest;
    private long timer = -1;
    private boolean done;

    Resume(Vertx vertx, Runnable sendRest) {
      this.vertx = vertx;
      this.sendRest = sendRest;
    }

    @Override
    public void run() {
      if (done) {
        return;
      }
      done = true;
      vertx.cancelTimer(timer);
      sendRest.run();
    }
  }
}
