package org.voicerelay.stt.client;

/**
 * The connection state of a {@link SpeechStream}. Together with whether the input has ended,
 * this is all the state that decides what a stream does next.
 */
public enum StreamState {
  /** Opening the WebSocket and sending {@code session.create}. */
  CONNECTING,
  /** A session is live; audio flows. */
  CONNECTED,
  /** The connection failed; a reconnect timer is pending. */
  WAITING_TO_RECONNECT,
  /** The input ended; waiting for the last final transcript and {@code session.closed}. */
  FINISHING,
  /** Over: ended, closed by the caller, or failed for good. */
  CLOSED
}
