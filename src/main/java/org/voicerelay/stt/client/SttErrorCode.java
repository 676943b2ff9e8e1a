package org.voicerelay.stt.client;

/**
 * Why a stream failed. Each code says whether it is worth retrying; {@link #wireName()} is the
 * string used in events on the bus.
 */
public enum SttErrorCode {
  /** The socket could not be opened (refused, reset, DNS, TLS). */
  CONNECTION_FAILED("connection_failed", true),
  /** No upgrade within {@code connectOptions.timeout}. */
  CONNECT_TIMEOUT("connect_timeout", true),
  /** HTTP 401/403 at the upgrade: the key or secret is wrong. */
  AUTHENTICATION_FAILED("authentication_failed", false),
  /**
   * The gateway refused the request as the client's error, which a retry would repeat: an upgrade
   * refused or an {@code error} frame with a status or code in 400-499 (but 401/403, 408, 429 and
   * 499), or one of the local gateway's codes 4000-4099 (e.g. 4010, a language the engine does not
   * recognise). {@link SttException#statusCode()} is the status or code.
   */
  REQUEST_REJECTED("request_rejected", false),
  /** HTTP 429 at the upgrade. */
  QUOTA_EXCEEDED("quota_exceeded", true),
  /** The socket closed without the client asking. */
  CONNECTION_CLOSED("connection_closed", true),
  /**
   * Nothing (no message, no pong to the client's pings) came from the gateway for
   * {@code connectOptions.livenessTimeoutMs}: the connection is treated as dropped.
   */
  GATEWAY_SILENT("gateway_silent", true),
  /** The gateway sent {@code session.closed} before the input ended. */
  SESSION_CLOSED("session_closed", true),
  /** The gateway sent an {@code error} frame with a code worth a retry (see {@link #REQUEST_REJECTED}). */
  GATEWAY_ERROR("gateway_error", true),
  /** The gateway closed the session for inactivity (gateway code 2007). */
  INACTIVE_SESSION("inactive_session", false),
  /** The gateway sent something that is not the protocol. */
  PROTOCOL_ERROR("protocol_error", true),
  /** No final transcript within the finalization timeout after the input ended. */
  FINALIZATION_TIMEOUT("finalization_timeout", false),
  /** The retry budget is spent: the reconnect window passed, or too many connections were dropped. */
  RETRIES_EXHAUSTED("retries_exhausted", false),
  /** A write the stream refused: odd length, not PCM. */
  INVALID_AUDIO("invalid_audio", false),
  /** A write beyond the stream's hard buffer limit. */
  BUFFER_FULL("buffer_full", false),
  /** An operation on a stream that has ended or been closed. */
  STREAM_CLOSED("stream_closed", false),
  /**
   * The stream's model does not take what was asked: keyterms for a model without a keyterm
   * option, agent context for a model that takes no chat context ({@link ModelCapabilities}).
   */
  UNSUPPORTED("unsupported", false);

  private final String wireName;
  private final boolean retryable;

  SttErrorCode(String wireName, boolean retryable) {
    this.wireName = wireName;
    this.retryable = retryable;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether a failure of this kind is, by its nature, worth another connection attempt. */
  public boolean retryable() {
    return retryable;
  }
}
