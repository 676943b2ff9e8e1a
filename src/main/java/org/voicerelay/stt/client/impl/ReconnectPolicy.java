package org.voicerelay.stt.client.impl;

import java.util.concurrent.ThreadLocalRandom;
import org.voicerelay.stt.client.ConnectOptions;

/**
 * The retry budget of a stream: {@code maxRetry} attempts per run of failures, each after a
 * random pause in {@code [0, min(maxDelay, initialDelay * multiplier^n)]} (full jitter).
 * {@link #reset()} only once a connection proved itself, so a long stream survives any number of
 * spaced-out drops and a gateway that accepts and drops at once exhausts it.
 */
final class ReconnectPolicy {

  private final ConnectOptions options;
  private int used;

  ReconnectPolicy(ConnectOptions options) {
    this.options = options;
  }

  /** Whether another attempt is within the budget. */
  boolean canRetry() {
    return used < options.getMaxRetry();
  }

  /** Spends one attempt and returns the random pause before it, in ms. */
  long nextDelay() {
    long bound = bound(used);
    used++;
    return bound == 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1);
  }

  /** The upper bound of the pause before retry {@code n} (from 0). */
  long bound(int n) {
    double grown = options.getInitialDelayMs() * Math.pow(options.getMultiplier(), n);
    return (long) Math.min(options.getMaxDelayMs(), grown);
  }

  int used() {
    return used;
  }

  void reset() {
    used = 0;
  }
}
