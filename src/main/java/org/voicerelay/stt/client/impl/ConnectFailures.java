package org.voicerelay.stt.client.impl;

import io.vertx.core.http.UpgradeRejectedException;
import java.util.concurrent.TimeoutException;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;

/** Why a connection attempt failed, as the error codes of the protocol's retry rules. */
final class ConnectFailures {

  private ConnectFailures() {
  }

  static SttException of(Throwable cause) {
    if (cause instanceof UpgradeRejectedException rejected) {
      return RetryRules.upgradeRefused(rejected.getStatus());
    }
    if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.TimeoutException) {
      return new SttException(SttErrorCode.CONNECT_TIMEOUT, "connecting to the gateway timed out",
          true, -1, cause);
    }
    return new SttException(SttErrorCode.CONNECTION_FAILED,
        "cannot connect to the gateway: " + cause.getMessage(), true, -1, cause);
  }

  static SttException timeout(long timeoutMs) {
    return new SttException(SttErrorCode.CONNECT_TIMEOUT, "no connection to the gateway within "
        + timeoutMs + " ms", true, -1, null);
  }

  /** A parked stream's share of the breaker's failed probe. */
  static SttException probeFailed(SttException probe) {
    if (probe == null) {
      return new SttException(SttErrorCode.CONNECTION_FAILED,
          "the client's circuit breaker is open: recent attempts to the gateway failed", true, -1, null);
    }
    return new SttException(probe.code(), "the circuit breaker's probe of the gateway failed: "
        + probe.getMessage(), probe.retryable(), probe.statusCode(), probe);
  }

  /** The stream's retry budget is {@code spent}; {@code last} was the failure that spent it. */
  static SttException retriesExhausted(String spent, SttException last) {
    return new SttException(SttErrorCode.RETRIES_EXHAUSTED,
        "gave up: " + spent + "; last failure: " + last.getMessage(), false, last.statusCode(), last);
  }
}
