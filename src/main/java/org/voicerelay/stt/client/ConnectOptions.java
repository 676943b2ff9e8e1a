package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.config.JsonTypes;

/**
 * How a stream keeps its connection: the upgrade timeout, how it notices a connection that went
 * silent, and how long and how often it tries again after a failure.
 *
 * <p><b>Liveness.</b> Every {@code pingIntervalMs} a connection from which nothing was heard for
 * that long gets a WebSocket ping; a connection from which nothing at all (a message or a pong) was
 * heard for {@code livenessTimeoutMs} is dead and is handled like a dropped one. With the defaults
 * a gateway that stops answering without closing is noticed within 8 to 8.25 s, and one that is
 * merely slow has 8 s to answer a ping.
 *
 * <p><b>Retry budget.</b> A run of failures may last {@code reconnectWindowMs}: the stream keeps
 * trying until a failure comes after the window, so an outage shorter than the window always sees
 * an attempt after it ended; a connection whose audio the gateway answered starts the window
 * again. Within the window, at most {@code maxRetry} connections that opened and then failed before
 * proving themselves are retried (a gateway that accepts every session and drops it gets
 * {@code maxRetry + 1} connections); connections that could not be opened at all (refused, timed
 * out, an HTTP error) are limited by the window only.
 *
 * <p><b>Pause.</b> Before retry {@code n} (from 0) of a run the stream waits a random time in
 * {@code [b/2, b]} with {@code b = min(maxDelayMs, initialDelayMs * multiplier^n)}: the first retry
 * is fast (50 to 100 ms by default), no pause is near zero, and streams dropped together do not
 * come back together.
 *
 * <p>The run ends, and both budgets reset, only when a connection proves itself: it carried a
 * final transcript, or it stayed up and alive {@code healthyAfterMs}. An accepted upgrade or
 * {@code session.created} proves nothing.
 */
@DataObject
@JsonGen(publicConverter = false)
public class ConnectOptions {

  public static final long DEFAULT_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_RETRY = 3;
  public static final long DEFAULT_INITIAL_DELAY_MS = 100;
  /** A stream retrying on its own finds a gateway that came back within a quarter of a second. */
  public static final long DEFAULT_MAX_DELAY_MS = 250;
  public static final double DEFAULT_MULTIPLIER = 4.0;
  public static final long DEFAULT_HEALTHY_AFTER_MS = 10_000;
  /** As long as the replay window: an outage the replay can cover costs no stream. */
  public static final long DEFAULT_RECONNECT_WINDOW_MS = 10_000;
  public static final long DEFAULT_PING_INTERVAL_MS = 2_000;
  public static final long DEFAULT_LIVENESS_TIMEOUT_MS = 8_000;

  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private int maxRetry = DEFAULT_MAX_RETRY;
  private long initialDelayMs = DEFAULT_INITIAL_DELAY_MS;
  private long maxDelayMs = DEFAULT_MAX_DELAY_MS;
  private double multiplier = DEFAULT_MULTIPLIER;
  private long healthyAfterMs = DEFAULT_HEALTHY_AFTER_MS;
  private long reconnectWindowMs = DEFAULT_RECONNECT_WINDOW_MS;
  private long pingIntervalMs = DEFAULT_PING_INTERVAL_MS;
  private long livenessTimeoutMs = DEFAULT_LIVENESS_TIMEOUT_MS;

  public ConnectOptions() {
  }

  public ConnectOptions(ConnectOptions other) {
    this.timeoutMs = other.timeoutMs;
    this.maxRetry = other.maxRetry;
    this.initialDelayMs = other.initialDelayMs;
    this.maxDelayMs = other.maxDelayMs;
    this.multiplier = other.multiplier;
    this.healthyAfterMs = other.healthyAfterMs;
    this.reconnectWindowMs = other.reconnectWindowMs;
    this.pingIntervalMs = other.pingIntervalMs;
    this.livenessTimeoutMs = other.livenessTimeoutMs;
  }

  public ConnectOptions(JsonObject json) {
    ConnectOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "client.connectOptions."), this);
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

  /**
   * Connections that opened and then failed before proving themselves that a run of failures may
   * retry before the stream gives up with {@code retries_exhausted}.
   */
  public ConnectOptions setMaxRetry(int maxRetry) {
    if (maxRetry < 0) {
      throw new IllegalArgumentException("connectOptions.maxRetry must be >= 0, got " + maxRetry);
    }
    this.maxRetry = maxRetry;
    return this;
  }

  public long getInitialDelayMs() {
    return initialDelayMs;
  }

  /** Upper bound of the pause before the first retry (the pause is at least half of it). */
  public ConnectOptions setInitialDelayMs(long initialDelayMs) {
    if (initialDelayMs < 0) {
      throw new IllegalArgumentException("connectOptions.initialDelayMs must be >= 0, got " + initialDelayMs);
    }
    this.initialDelayMs = initialDelayMs;
    return this;
  }

  public long getMaxDelayMs() {
    return maxDelayMs;
  }

  /** Upper bound of any pause between retries. */
  public ConnectOptions setMaxDelayMs(long maxDelayMs) {
    if (maxDelayMs < 0) {
      throw new IllegalArgumentException("connectOptions.maxDelayMs must be >= 0, got " + maxDelayMs);
    }
    this.maxDelayMs = maxDelayMs;
    return this;
  }

  public double getMultiplier() {
    return multiplier;
  }

  /** Growth of the pause's upper bound from one retry to the next. */
  public ConnectOptions setMultiplier(double multiplier) {
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("connectOptions.multiplier must be a finite number >= 1, got "
          + multiplier);
    }
    this.multiplier = multiplier;
    return this;
  }

  public long getHealthyAfterMs() {
    return healthyAfterMs;
  }

  /** How long a connection must stay up, without a final transcript, to reset the retry budget. */
  public ConnectOptions setHealthyAfterMs(long healthyAfterMs) {
    if (healthyAfterMs <= 0) {
      throw new IllegalArgumentException("connectOptions.healthyAfterMs must be > 0, got " + healthyAfterMs);
    }
    this.healthyAfterMs = healthyAfterMs;
    return this;
  }

  public long getReconnectWindowMs() {
    return reconnectWindowMs;
  }

  /**
   * How long a run of failures may last without the gateway answering a connection's audio: a
   * failure after it ends the stream with {@code retries_exhausted}. Retrying goes on until then, so
   * an outage shorter than this costs no stream.
   */
  public ConnectOptions setReconnectWindowMs(long reconnectWindowMs) {
    if (reconnectWindowMs < 0) {
      throw new IllegalArgumentException("connectOptions.reconnectWindowMs must be >= 0, got " + reconnectWindowMs);
    }
    this.reconnectWindowMs = reconnectWindowMs;
    return this;
  }

  public long getPingIntervalMs() {
    return pingIntervalMs;
  }

  /**
   * How often a connection's liveness is checked; a connection quiet for this long gets a
   * WebSocket ping. {@code 0} turns liveness checks off (a silent gateway is then noticed only by
   * TCP or when the input ends).
   */
  public ConnectOptions setPingIntervalMs(long pingIntervalMs) {
    if (pingIntervalMs < 0) {
      throw new IllegalArgumentException("connectOptions.pingIntervalMs must be >= 0, got " + pingIntervalMs);
    }
    this.pingIntervalMs = pingIntervalMs;
    return this;
  }

  public long getLivenessTimeoutMs() {
    return livenessTimeoutMs;
  }

  /** A connection from which nothing (a message or a pong) was heard for this long is dead. */
  public ConnectOptions setLivenessTimeoutMs(long livenessTimeoutMs) {
    if (livenessTimeoutMs <= 0) {
      throw new IllegalArgumentException("connectOptions.livenessTimeoutMs must be > 0, got " + livenessTimeoutMs);
    }
    this.livenessTimeoutMs = livenessTimeoutMs;
    return this;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    ConnectOptionsConverter.toJson(this, json);
    return json;
  }

  @Override
  public String toString() {
    return "ConnectOptions" + toJson().encode();
  }
}
