package org.voicerelay.stt.client;

/**
 * Where a {@link SpeechStream} is, exactly: the states of its connection's state machine.
 * {@link #state()} maps each onto the coarser {@link StreamState}, which is what {@code state()},
 * {@code status()} and the event bus report; a {@link StreamStateEvent} carries both, and one is
 * published for every change of phase.
 *
 * <pre>
 *   CONNECTING -&gt; CONNECTED -&gt; (end()) AWAITING_FINAL -&gt; AWAITING_QUIET -&gt; CLOSING -&gt; CLOSED
 *   CONNECTING -&gt; PARKED -&gt; CONNECTING           (the client's circuit breaker holds the stream)
 *   CONNECTING, CONNECTED, AWAITING_* -&gt; BACKING_OFF -&gt; CONNECTING   (a failure within the budget)
 * </pre>
 */
public enum StreamPhase {
  /** Asking the client's circuit breaker, opening the WebSocket and sending {@code session.create}. */
  CONNECTING(StreamState.CONNECTING),
  /** Held by the client's circuit breaker until a probe proves the gateway serving again. */
  PARKED(StreamState.WAITING_TO_RECONNECT),
  /** A session is live; audio flows (also after {@code end()}, while the rest of it is still queued). */
  CONNECTED(StreamState.CONNECTED),
  /** A connection failed: the back-off pause before the next attempt. */
  BACKING_OFF(StreamState.WAITING_TO_RECONNECT),
  /** The input ended and all of it is on the wire: waiting for the final transcript. */
  AWAITING_FINAL(StreamState.FINISHING),
  /** A final transcript came after the input ended: waiting for {@code finalQuietMs} without transcripts. */
  AWAITING_QUIET(StreamState.FINISHING),
  /** {@code session.close} sent: a short grace for {@code session.closed}. */
  CLOSING(StreamState.FINISHING),
  /** Over: ended, closed by the caller, or failed for good. */
  CLOSED(StreamState.CLOSED);

  private final StreamState state;

  StreamPhase(StreamState state) {
    this.state = state;
  }

  /** The public state this phase shows as. */
  public StreamState state() {
    return state;
  }
}
