package org.voicerelay.stt.client;

/**
 * The connection state of a {@link SpeechStream}; every transition is published to
 * {@link SpeechStream#stateHandler}. Together with where the stream is in finishing after
 * {@code end()}, this is all the state that decides what a stream does next.
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
