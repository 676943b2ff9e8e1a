package org.voicerelay.stt.client.impl;

import io.vertx.core.Vertx;

/**
 * What a stream does between {@code end()} and closing, as explicit steps with one timer:
 * <ol>
 *   <li>{@link Step#FLUSHING}: the input ended; audio and the last finalize are still queued.
 *   <li>{@link Step#AWAITING_FINAL}: everything is on the wire; waiting for the final transcript
 *       (at most {@code finalizationTimeoutMs} from the end, or from the last reconnect), then
 *       for {@code finalQuietMs} without transcripts, or for {@code session.finalized}.
 *   <li>{@link Step#CLOSING}: {@code session.close} sent; waiting a short grace for
 *       {@code session.closed} or the socket to close.
 * </ol>
 * A reconnect while finishing goes back to {@code FLUSHING}: the replayed audio and its finalize
 * are sent again and the wait starts over. Confined to the stream's context.
 */
final class FinishingSequence {

  enum Step { NOT_STARTED, FLUSHING, AWAITING_FINAL, CLOSING }

  /** What the sequence asks of its stream. */
  interface Stream {
    boolean hasSocket();

    void sendSessionClose();

    /** The sequence is over: {@code timedOut} when no final transcript came in time. */
    void finishingDone(boolean timedOut);
  }

  /** How long to wait for {@code session.closed} after sending {@code session.close}. */
  static final long CLOSE_GRACE_MS = 2_000;

  private final Stream stream;
  private final long finalizationTimeoutMs;
  private final long finalQuietMs;
  private volatile Step step = Step.NOT_STARTED;
  private boolean finalSeen;
  private final TimerSlot timer;

  FinishingSequence(Vertx vertx, Stream stream, long finalizationTimeoutMs, long finalQuietMs) {
    this.timer = new TimerSlot(vertx);
    this.stream = stream;
    this.finalizationTimeoutMs = finalizationTimeoutMs;
    this.finalQuietMs = finalQuietMs;
  }

  /** Any thread. */
  Step step() {
    return step;
  }

  boolean started() {
    return step != Step.NOT_STARTED;
  }

  boolean closeSent() {
    return step == Step.CLOSING;
  }

  void inputEnded() {
    if (step == Step.NOT_STARTED) {
      step = Step.FLUSHING;
    }
  }

  /** The last finalize is on the wire. */
  void flushed() {
    if (step == Step.FLUSHING) {
      step = Step.AWAITING_FINAL;
    }
  }

  /** Starts (or starts over) the wait for the final transcript. */
  void startWaiting() {
    if (step == Step.NOT_STARTED || step == Step.CLOSING) {
      return;
    }
    long delay = finalSeen ? finalQuietMs : finalizationTimeoutMs;
    timer.start(delay, this::waitOver);
  }

  /** A transcript arrived: the quiet time starts over; a final one turns the wait into quiet time. */
  void transcript(boolean isFinal) {
    if (step == Step.NOT_STARTED) {
      return;
    }
    if (isFinal) {
      finalSeen = true;
    }
    if (timer.pending() && step != Step.CLOSING) {
      startWaiting();
    }
  }

  /** {@code session.close} went out. */
  void closing() {
    step = Step.CLOSING;
    timer.start(CLOSE_GRACE_MS, () -> stream.finishingDone(false));
  }

  /** The connection is gone while finishing: the next one sends the replay and finalize again. */
  void connectionLost() {
    if (step == Step.CLOSING || step == Step.AWAITING_FINAL) {
      step = Step.FLUSHING;
    }
  }

  void stop() {
    timer.cancel();
  }

  private void waitOver() {
    if (finalSeen) {
      if (stream.hasSocket()) {
        stream.sendSessionClose();
      } else {
        stream.finishingDone(false);
      }
    } else {
      stream.finishingDone(true);
    }
  }
}
