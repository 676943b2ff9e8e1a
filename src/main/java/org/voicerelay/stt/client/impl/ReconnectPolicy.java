package org.voicerelay.stt.client.impl;

import org.voicerelay.stt.client.ConnectOptions;

/**
 * The retry budget of a stream: {@code maxRetry} attempts after a failure, the first after a
 * short pause and the rest after {@code retryInterval}; {@link #reset()} once a connection proved
 * itself, so a long stream survives any number of spaced-out drops.
 */
final class ReconnectPolicy {

  static final long FIRST_RETRY_DELAY_MS = 100;

  private final ConnectOptions options;
  private int used;

  ReconnectPolicy(ConnectOptions options) {
    this.options = options;
  }

  /** Whether another attempt is within the budget. */
  boolean canRetry() {
    return used < options.getMaxRetry();
  }

  /** Spends one attempt and returns the delay before it, in ms. */
  long nextDelay() {
    long delay = used == 0 ? Math.min(FIRST_RETRY_DELAY_MS, options.getRetryIntervalMs())
        : options.getRetryIntervalMs();
    used++;
    return delay;
  }

  int used() {
    return used;
  }

  void reset() {
    used = 0;
  }
}
