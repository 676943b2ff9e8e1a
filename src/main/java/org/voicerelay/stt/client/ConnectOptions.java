package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.annotations.GenIgnore;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.config.JsonTypes;

/**
 * How hard a stream tries to stay connected: the upgrade timeout, how many retries a run of
 * failures may use, and the pause before each retry.
 *
 * <p>The pause is exponential backoff with full jitter: before retry {@code n} (from 0) the
 * stream waits a random time in {@code [0, min(maxDelayMs, initialDelayMs * multiplier^n)]}, so
 * the first retry is fast (within 100 ms by default, like LiveKit's clients) and a fleet of
 * streams dropped at the same moment does not come back at the same moment.
 *
 * <p>The budget resets only when a connection proves itself: it carried a final transcript, or
 * it stayed up {@code healthyAfterMs}. An accepted upgrade or {@code session.created} proves
 * nothing, so a gateway that accepts every session and drops it soon after exhausts the budget.
 */
@DataObject
@JsonGen(publicConverter = false)
public class ConnectOptions {

  public static final long DEFAULT_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_RETRY = 3;
  public static final long DEFAULT_INITIAL_DELAY_MS = 100;
  public static final long DEFAULT_MAX_DELAY_MS = 10_000;
  public static final double DEFAULT_MULTIPLIER = 4.0;
  public static final long DEFAULT_HEALTHY_AFTER_MS = 10_000;

  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private int maxRetry = DEFAULT_MAX_RETRY;
  private long initialDelayMs = DEFAULT_INITIAL_DELAY_MS;
  private long maxDelayMs = DEFAULT_MAX_DELAY_MS;
  private double multiplier = DEFAULT_MULTIPLIER;
  private long healthyAfterMs = DEFAULT_HEALTHY_AFTER_MS;

  public ConnectOptions() {
  }

  public ConnectOptions(ConnectOptions other) {
    this.timeoutMs = other.timeoutMs;
    this.maxRetry = other.maxRetry;
    this.initialDelayMs = other.initialDelayMs;
    this.maxDelayMs = other.maxDelayMs;
    this.multiplier = other.multiplier;
    this.healthyAfterMs = other.healthyAfterMs;
  }

  /** Reads the options; {@code retryIntervalMs} is accepted as the older name of {@code maxDelayMs}. */
  public ConnectOptions(JsonObject json) {
    ConnectOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "client.connectOptions."), this);
    if (!json.containsKey("maxDelayMs") && json.getValue("retryIntervalMs") instanceof Number older) {
      setMaxDelayMs(older.longValue());
    }
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

  /** Retries a run of failures may use before the stream gives up with {@code retries_exhausted}. */
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

  /** Upper bound of the random pause before the first retry. */
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

  /**
   * The older name of {@link #getMaxDelayMs()}.
   *
   * @deprecated use {@link #getMaxDelayMs()}
   */
  @Deprecated
  @GenIgnore
  public long getRetryIntervalMs() {
    return maxDelayMs;
  }

  /**
   * The older name of {@link #setMaxDelayMs(long)}: before backoff, every retry but the first
   * waited exactly this long; now it bounds the random pause.
   *
   * @deprecated use {@link #setMaxDelayMs(long)}
   */
  @Deprecated
  @GenIgnore
  public ConnectOptions setRetryIntervalMs(long retryIntervalMs) {
    return setMaxDelayMs(retryIntervalMs);
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
