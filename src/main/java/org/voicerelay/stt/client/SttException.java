package org.voicerelay.stt.client;

import io.vertx.core.VertxException;

/**
 * A failure of the client with a {@link SttErrorCode}. The message never contains credentials,
 * tokens or audio.
 */
public class SttException extends VertxException {

  private final SttErrorCode code;
  private final boolean retryable;
  private final int statusCode;

  public SttException(SttErrorCode code, String message) {
    this(code, message, code.retryable(), -1, null);
  }

  public SttException(SttErrorCode code, String message, boolean retryable, int statusCode,
      Throwable cause) {
    super(message, cause);
    this.code = code;
    this.retryable = retryable;
    this.statusCode = statusCode;
  }

  public SttErrorCode code() {
    return code;
  }

  /** Whether the stream will (or would) try again after this failure. */
  public boolean retryable() {
    return retryable;
  }

  /** The HTTP status of a failed upgrade, or the gateway's error code, else -1. */
  public int statusCode() {
    return statusCode;
  }

  public SttError toError() {
    return new SttError(code.wireName(), getMessage(), retryable, statusCode);
  }
}
