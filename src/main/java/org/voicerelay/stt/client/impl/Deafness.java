package org.voicerelay.stt.client.impl;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long one stream could not hear the caller because of a fault: a <em>deaf spell</em> begins
 * when a connection fails while audio still flows (at the moment its gateway was last heard, so a
 * silent gateway's whole silence counts) and ends at the first transcript event after it. Pauses
 * of the caller are not spells: a gateway owes no event for silence. Each spell ends in the
 * Micrometer timer {@value #METER} of Vert.x's default registry, when there is one (no tags: the
 * distribution over all streams is what an operator watches), and the current and the longest spell
 * of the stream are in its {@code status}.
 *
 * <p>Changed on the stream's context; read from any thread.
 */
final class Deafness {

  static final String METER = "stt.client.deafness";

  private final Timer timer;
  private volatile long sinceNanos = -1;
  private volatile long longestMs;

  private Deafness(Timer timer) {
    this.timer = timer;
  }

  /** A stream's deafness, recorded in Vert.x's default registry when there is one. */
  static Deafness create() {
    try {
      return in(BackendRegistries.getDefaultNow());
    } catch (LinkageError noMicrometer) {
      return new Deafness(null);
    }
  }

  static Deafness in(MeterRegistry registry) {
    if (registry == null) {
      return new Deafness(null);
    }
    return new Deafness(Timer.builder(METER)
        .description("How long a stream heard no transcript event after a gateway fault while audio flowed")
        .publishPercentiles(0.5, 0.99)
        .publishPercentileHistogram() // buckets: a dashboard's histogram_quantile over all nodes
        .minimumExpectedValue(Duration.ofMillis(50)).maximumExpectedValue(Duration.ofSeconds(60))
        .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(20))
        .register(registry));
  }

  /**
   * A connection failed.
   *
   * @param lastHeardNanos when its gateway was last heard ({@link System#nanoTime()})
   * @param inputEnded no more audio comes: nothing is missed
   */
  void lost(long lastHeardNanos, boolean inputEnded) {
    if (sinceNanos < 0 && !inputEnded) {
      sinceNanos = lastHeardNanos;
    }
  }

  /** A transcript event arrived: a spell under way is over. */
  void heard() {
    long since = sinceNanos;
    if (since >= 0) {
      sinceNanos = -1;
      long spellNanos = System.nanoTime() - since;
      longestMs = Math.max(longestMs, spellNanos / 1_000_000);
      if (timer != null) {
        timer.record(spellNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  /** The stream ended: a spell under way ends with it. */
  void over() {
    heard();
  }

  /** The spell under way, in ms; 0 when the stream hears. */
  long currentMs() {
    long since = sinceNanos;
    return since < 0 ? 0 : (System.nanoTime() - since) / 1_000_000;
  }

  /** The longest spell of the stream so far, the current one included. */
  long longestMs() {
    return Math.max(longestMs, currentMs());
  }
}
