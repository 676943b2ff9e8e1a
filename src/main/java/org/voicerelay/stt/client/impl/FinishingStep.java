package org.voicerelay.stt.client.impl;

/**
 * Where a stream is between {@code end()} and closing, as a function of what the stream holds:
 * whether the input ended, whether all of it and the last finalize are on the wire, and whether
 * {@code session.close} went out on this connection. A reconnect while finishing starts a new
 * connection with nothing on the wire and no close sent, so it is back at {@link #FLUSHING} by
 * construction. Each step says how long the stream waits in it before acting.
 */
enum FinishingStep {
  /** The input has not ended. */
  NOT_STARTED,
  /** The input ended; audio or the last {@code session.finalize} is still queued. */
  FLUSHING,
  /** Everything is on the wire: waiting for the final transcript, then for quiet. */
  AWAITING_FINAL,
  /** {@code session.close} sent: a short grace for {@code session.closed}. */
  CLOSING;

  /** How long to wait for {@code session.closed} after sending {@code session.close}. */
  static final long CLOSE_GRACE_MS = 2_000;

  static FinishingStep of(boolean inputEnded, boolean onTheWire, boolean closeSent) {
    if (!inputEnded) {
      return NOT_STARTED;
    }
    if (closeSent) {
      return CLOSING;
    }
    return onTheWire ? AWAITING_FINAL : FLUSHING;
  }

  /**
   * How long the stream waits in this step, from its start or the last transcript, before it
   * acts: {@code finalizationTimeoutMs} for the first final transcript, then {@code finalQuietMs}
   * of quiet; the close grace once {@code session.close} went out; -1 before the input ended.
   */
  long deadlineMs(boolean finalSeen, long finalizationTimeoutMs, long finalQuietMs) {
    return switch (this) {
      case NOT_STARTED -> -1;
      case FLUSHING, AWAITING_FINAL -> finalSeen ? finalQuietMs : finalizationTimeoutMs;
      case CLOSING -> CLOSE_GRACE_MS;
    };
  }
}
