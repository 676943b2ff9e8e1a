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
 * again instead of 0.2.
 *
 * <p>The rest of the catch-up is paced by the gateway's answers: the stream sends up to a second
 * past the furthest point its transcripts reached ({@link AudioOutbox#paceByAnswers}), so however
 * many streams catch up at once, each has at most a second of audio waiting in the gateway, and
 * each hears a transcript every time the gateway gets through that second. Sent at once, 1000
 * streams' catch-ups of 8 s each reached the gateway's sockets together; it worked through each
 * connection's whole backlog in turn, and the streams it came to last heard nothing for 7 s after
 * the answer to their first second. A lone stream on an idle gateway is answered within
 * milliseconds, so the pace costs it nothing. A gateway that does not answer silence would stall
 * the pace: after {@link #PACE_STALL_MS} without an answer that moves it, or when the caller asks
 * for a final, the rest goes at once.
 */
final class CatchUpHold {

  /** The held audio a stream returning with others sends at once. */
  static final long FIRST_MS = 1_000;
  /** The longest such a stream holds the rest. */
  static final long MAX_HOLD_MS = 2_000;
  /** The longest a paced catch-up waits for an answer that moves it on before it sends the rest. */
  static final long PACE_STALL_MS = 1_000;

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
      outbox.paceByAnswers(FIRST_MS);
      sendPending.run();
      watchPace(connection, outbox, vertx, sendPending);
    }));
    resume.timer = vertx.setTimer(MAX_HOLD_MS, id -> resume.run());
    connection.attempt.whenCatchUpMayGo(() -> onContext.accept(resume));
  }

  /**
   * Sends the rest at once when no answer moved the pace for {@link #PACE_STALL_MS}: a gateway
   * that does not answer silence.
   */
  private static void watchPace(GatewayConnection connection, AudioOutbox outbox, Vertx vertx, Runnable sendPending) {
    if (!outbox.paced()) {
      return;
    }
    vertx.setTimer(PACE_STALL_MS / 2, id -> connection.run.guard(() -> {
      if (outbox.paceStalledFor(PACE_STALL_MS)) {
        outbox.sendAll();
        sendPending.run();
      } else {
        watchPace(connection, outbox, vertx, sendPending);
      }
    }).run());
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
