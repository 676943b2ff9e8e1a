package org.voicerelay.stt.client.impl;

import org.voicerelay.stt.client.StreamPhase;
import org.voicerelay.stt.client.SttOptions;

/**
 * The finishing phase of a stream, from {@code end()} to closing: its steps are the phases
 * {@code CONNECTED} with the input ended (the rest of the audio and the last {@code session.finalize}
 * still queued), {@code AWAITING_FINAL}, {@code AWAITING_QUIET} and {@code CLOSING}, and its data
 * is how long each step waits before the stream acts. A reconnect while finishing starts a new
 * connection with nothing on the wire and no final heard on it, so it starts again from
 * {@code CONNECTED}.
 */
final class Finishing {

  /** How long to wait for {@code session.closed} after sending {@code session.close}. */
  static final long CLOSE_GRACE_MS = 2_000;

  private Finishing() {
  }

  /**
   * How long the stream waits in {@code phase} after the input ended, from the step's start or the
   * last transcript, before it acts: {@code finalizationTimeoutMs} for the first final transcript,
   * then {@code finalQuietMs} of quiet, the close grace once {@code session.close} went out.
   */
  static long deadlineMs(StreamPhase phase, SttOptions options) {
    return switch (phase) {
      case AWAITING_QUIET -> options.getFinalQuietMs();
      case CLOSING -> CLOSE_GRACE_MS;
      default -> options.getFinalizationTimeoutMs();
    };
  }

  /** The step a transcript after {@code end()} leads to: the first final one turns the wait into quiet time. */
  static StreamPhase afterTranscript(StreamPhase phase, boolean isFinal) {
    return phase == StreamPhase.AWAITING_FINAL && isFinal ? StreamPhase.AWAITING_QUIET : phase;
  }

  /**
   * Whether moving from {@code from} to {@code to} keeps the wait under way: the wait for the final
   * transcript starts at {@code end()} (or the last transcript), not when the rest of the audio is
   * out.
   */
  static boolean keepsTheWait(StreamPhase from, StreamPhase to) {
    return from == StreamPhase.CONNECTED && to == StreamPhase.AWAITING_FINAL;
  }

  /** Whether the input ended and all of it is on the wire of the current connection. */
  static boolean onTheWire(StreamPhase phase) {
    return phase == StreamPhase.AWAITING_FINAL || phase == StreamPhase.AWAITING_QUIET
        || phase == StreamPhase.CLOSING;
  }

  /**
   * The step as {@code status()} shows it under {@code finishing}: {@code NOT_STARTED} before
   * {@code end()}; {@code FLUSHING} while audio or the last finalize is still queued (also while
   * reconnecting); {@code AWAITING_FINAL} for the final transcript and the quiet after it;
   * {@code CLOSING} once {@code session.close} went out, and after.
   */
  static String step(StreamPhase phase, boolean inputEnded) {
    if (!inputEnded) {
      return "NOT_STARTED";
    }
    return switch (phase) {
      case AWAITING_FINAL, AWAITING_QUIET -> "AWAITING_FINAL";
      case CLOSING, CLOSED -> "CLOSING";
      default -> "FLUSHING";
    };
  }
}
