package org.voicerelay.stt.client;

/**
 * The connection state of a {@link SpeechStream}, as {@code state()}, {@code status()} and the
 * event bus report it: each {@link StreamPhase} of the stream's state machine shows as one of
 * these; every transition is published to {@link SpeechStream#stateHandler}.
 */
public enum StreamState {
  /** Opening the WebSocket and sending {@code session.create}. */
  CONNECTING,
  /** A session is live; audio flows. */
  CONNECTED,
  /**
   * The connection failed; a reconnect timer is pending, or the stream waits for the client's
   * circuit breaker to probe the gateway.
   */
  WAITING_TO_RECONNECT,
  /** The input ended; waiting for the last final transcript and {@code session.closed}. */
  FINISHING,
  /** Over: ended, closed by the caller, or failed for good. */
  CLOSED
}
