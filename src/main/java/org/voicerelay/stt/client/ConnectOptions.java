package org.voicerelay.stt.client;

import io.vertx.core.json.JsonObject;

/**
 * How hard a stream tries to stay connected: the upgrade timeout, how many retries a failure
 * may use, and the pause between retries (the first retry after a session that had been working
 * is immediate). The budget resets once a connection has carried a session.
 */
public class ConnectOptions {

  public static final long DEFAULT_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_RETRY = 3;
  public static final long DEFAULT_RETRY_INTERVAL_MS = 2_000;

  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private int maxRetry = DEFAULT_MAX_RETRY;
  private long retryIntervalMs = DEFAULT_RETRY_INTERVAL_MS;

  public ConnectOptions() {
  }

  public ConnectOptions(ConnectOptions other) {
    this.timeoutMs = other.timeoutMs;
    this.maxRetry = other.maxRetry;
    this.retryIntervalMs = other.retryIntervalMs;
  }

  public ConnectOptions(JsonObject json) {
    setTimeoutMs(json.getLong("timeoutMs", DEFAULT_TIMEOUT_MS));
    setMaxRetry(json.getInteger("maxRetry", DEFAULT_MAX_RETRY));
    setRetryIntervalMs(json.getLong("retryIntervalMs", DEFAULT_RETRY_INTERVAL_MS));
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  public ConnectOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("connectOptions.timeoutMs must be > 0, got " + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
    return this;
  }

  public int getMaxRetry() {
    return maxRetry;
  }

  public ConnectOptions setMaxRetry(int maxRetry) {
    if (maxRetry < 0) {
      throw new IllegalArgumentException("connectOptions.maxRetry must be >= 0, got " + maxRetry);
    }
    this.maxRetry = maxRetry;
    return this;
  }

  public long getRetryIntervalMs() {
    return retryIntervalMs;
  }

  public ConnectOptions setRetryIntervalMs(long retryIntervalMs) {
    if (retryIntervalMs < 0) {
      throw new IllegalArgumentException("connectOptions.retryIntervalMs must be >= 0, got "
          + retryIntervalMs);
    }
    this.retryIntervalMs = retryIntervalMs;
    return this;
  }

  public JsonObject toJson() {
    return new JsonObject().put("timeoutMs", timeoutMs).put("maxRetry", maxRetry)
        .put("retryIntervalMs", retryIntervalMs);
  }

  @Override
  public String toString() {
    return "ConnectOptions" + toJson().encode();
  }
}
