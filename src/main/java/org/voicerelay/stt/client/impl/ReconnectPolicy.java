package org.voicerelay.stt.client.impl;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;

/**
 * The retry budget of a stream, measured in time: a run of failures may last
 * {@code reconnectWindowMs}, and within it at most {@code maxRetry} connections that opened and
 * then failed are retried. A refused connection fails at once, so counting attempts would let a
 * burst of refusals spend the budget in a second; counting time lets a stream ride out a gateway
 * restart of any length up to the window. Counting drops as well stops a gateway that accepts
 * every session and drops it from being reconnected to for the whole window.
 *
 * <p>The window measures how long the stream has gone without a gateway that answers: a connection
 * whose audio the gateway answered starts it again ({@link #answered()}), while its drops still
 * count. At 1000 streams on a full machine, a stream that came back after a 5 s restart, heard
 * the answer to its first second and then waited behind the others' catch-up until its liveness
 * deadline, found its window spent by the outage and gave up, although the gateway served it.
 *
 * <p>The pause before retry {@code n} is random in {@code [b/2, b]},
 * {@code b = min(maxDelayMs, initialDelayMs * multiplier^n)}. {@link #reset()} only once a
 * connection proved itself. Confined to the stream's context.
 */
final class ReconnectPolicy {

  private final ConnectOptions options;
  private final LongSupplier clockMs;
  /** When the current run of failures began, or -1 when there is none. */
  private long runStartedMs = -1;
  private int retries;
  private int drops;

  ReconnectPolicy(ConnectOptions options) {
    this(options, () -> System.nanoTime() / 1_000_000);
  }

  ReconnectPolicy(ConnectOptions options, LongSupplier clockMs) {
    this.options = options;
    this.clockMs = clockMs;
  }

  /**
   * Counts a retryable failure against the budget.
   *
   * @return {@code null} when another attempt is within the budget, else why not
   */
  String exhaustedBy(SttException failure) {
    long now = clockMs.getAsLong();
    if (runStartedMs < 0) {
      runStartedMs = now;
    }
    if (openedBeforeFailing(failure.code())) {
      if (drops >= options.getMaxRetry()) {
        return "the gateway dropped " + (drops + 1) + " connections in a row before they proved themselves"
            + " (maxRetry " + options.getMaxRetry() + ")";
      }
      drops++;
    }
    long elapsed = now - runStartedMs;
    if (elapsed >= options.getReconnectWindowMs()) {
      return "no working connection for " + elapsed + " ms after " + retries + " retries (reconnectWindowMs "
          + options.getReconnectWindowMs() + ")";
    }
    return null;
  }

  /** Whether the failure ended a connection that had opened, as opposed to one that never did. */
  static boolean openedBeforeFailing(SttErrorCode code) {
    return switch (code) {
      case CONNECTION_FAILED, CONNECT_TIMEOUT, QUOTA_EXCEEDED, AUTHENTICATION_FAILED -> false;
      default -> true;
    };
  }

  /** The pause before the next retry, in ms; spends one retry of the run. */
  long nextDelay() {
    long bound = bound(retries);
    retries++;
    long floor = bound / 2;
    return floor + ThreadLocalRandom.current().nextLong(bound - floor + 1);
  }

  /** The upper bound of the pause before retry {@code n} (from 0). */
  long bound(int n) {
    double grown = options.getInitialDelayMs() * Math.pow(options.getMultiplier(), n);
    return (long) Math.min(options.getMaxDelayMs(), grown);
  }

  /** Retries spent in the current run. */
  int used() {
    return retries;
  }

  /**
   * The gateway answered the audio of a connection of this run: the window starts again now. The
   * drops are still counted, so a gateway that answers and then drops or goes silent on every
   * connection still meets a stream {@code maxRetry + 1} times.
   */
  void answered() {
    if (runStartedMs >= 0) {
      runStartedMs = clockMs.getAsLong();
    }
  }

  /** A connection proved itself: the run of failures is over. */
  void reset() {
    runStartedMs = -1;
    retries = 0;
    drops = 0;
  }
}
