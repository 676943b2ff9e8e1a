package org.voicerelay.stt.client.impl;

import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.protocol.MessageType;

/**
 * Which answers of the gateway end a stream at once instead of being retried, in one place, so the
 * table in docs/client.md has one source. LiveKit's rule for a client error: an HTTP status or an
 * {@code error} frame's code in 400-499, but 408, 429 and 499, will fail the same way again. Beside
 * it, the local gateway's own codes for a request it cannot serve (4000-4099, e.g. 4010 for a
 * language the engine does not recognise) and LiveKit's 2007 for an inactive session. Every other
 * code (408, 429, 499, 5xx, the local gateway's limits 4100-4199 and 5000) is retried.
 */
final class RetryRules {

  /** The local gateway's codes for a frame the client got wrong or a request it cannot serve. */
  static final int REFUSED_FIRST = 4000;
  static final int REFUSED_LAST = 4099;

  private RetryRules() {
  }

  /** LiveKit's client error: 400-499, but 408 (timeout), 429 (too many requests) and 499 (cancelled). */
  static boolean clientError(int status) {
    return status >= 400 && status <= 499 && status != 408 && status != 429 && status != 499;
  }

  /** The failure for an upgrade the gateway refused with {@code status}. */
  static SttException upgradeRefused(int status) {
    if (status == 401 || status == 403) {
      return new SttException(SttErrorCode.AUTHENTICATION_FAILED,
          "the gateway refused the credentials (HTTP " + status + ")", false, status, null);
    }
    if (status == 429) {
      return new SttException(SttErrorCode.QUOTA_EXCEEDED, "the gateway's quota is exceeded (HTTP 429)", true, status, null);
    }
    if (clientError(status)) {
      return new SttException(SttErrorCode.REQUEST_REJECTED, "the gateway refused the request (HTTP " + status
          + "); retrying cannot change that", false, status, null);
    }
    return new SttException(SttErrorCode.CONNECTION_FAILED, "the gateway rejected the upgrade (HTTP " + status + ")",
        true, status, null);
  }

  /** The failure for an {@code error} frame with {@code code} (-1 without one) and {@code message}. */
  static SttException gatewayError(int code, String message) {
    String text = message == null ? "no message" : message;
    if (code == MessageType.ERROR_CODE_INACTIVE_SESSION) {
      return new SttException(SttErrorCode.INACTIVE_SESSION,
          "the gateway closed the session as inactive (code 2007): " + text, false, code, null);
    }
    if (code == 401 || code == 403) {
      return new SttException(SttErrorCode.AUTHENTICATION_FAILED,
          "the gateway refused the credentials (code " + code + "): " + text, false, code, null);
    }
    if (clientError(code) || code >= REFUSED_FIRST && code <= REFUSED_LAST) {
      return new SttException(SttErrorCode.REQUEST_REJECTED, "the gateway refused the request (code " + code
          + "): " + text, false, code, null);
    }
    return new SttException(SttErrorCode.GATEWAY_ERROR, "the gateway reported an error (code " + code + "): " + text,
        true, code, null);
  }
}
