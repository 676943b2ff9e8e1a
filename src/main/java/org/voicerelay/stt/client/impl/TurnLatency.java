package org.voicerelay.stt.client.impl;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.micrometer.backends.BackendRegistries;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long after the end of a turn's audio its final transcript came back, the figure LiveKit's
 * agents call {@code lk.transcription_delay}: from the moment the stream first sent the gateway the
 * audio at the final's end time (its {@code start + duration}, on the stream's clock) to the moment
 * the final arrived. It holds the gateway's endpointing wait, its recognition and the network, and a
 * reconnect in between when the final covers replayed audio; it does not depend on the caller
 * sending in real time. Finals without text end no turn and are not measured.
 *
 * <p>Recorded in the Micrometer timer {@value #METER} of Vert.x's default registry when there is
 * one (no tags; a percentile histogram, so Prometheus can aggregate nodes). The stream keeps when
 * each of its last {@value #KEPT} sends of new audio went out (50 ms each: 12.8 s, 4 KB); a final
 * whose end is older than that records the age of the oldest, a lower bound. Confined to the
 * stream's context.
 */
final class TurnLatency {

  static final String METER = "stt.client.turn.latency";
  static final int KEPT = 256;

  private final Timer timer;
  /** Stream position (seconds) reached by each send of new audio, and when it went out; a ring. */
  private final double[] sentUpTo = new double[KEPT];
  private final long[] sentAtNanos = new long[KEPT];
  private int count;
  private int next;
  private double secondsSent;

  private TurnLatency(Timer timer) {
    this.timer = timer;
  }

  /** Recorded in Vert.x's default registry when there is one. */
  static TurnLatency create() {
    try {
      return in(BackendRegistries.getDefaultNow());
    } catch (LinkageError noMicrometer) {
      return new TurnLatency(null);
    }
  }

  static TurnLatency in(MeterRegistry registry) {
    return new TurnLatency(registry == null ? null : Timer.builder(METER)
        .description("From the first send of a turn's last audio to the gateway to the turn's final transcript")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry));
  }

  /** New audio went to the gateway: the stream's position moved on by {@code seconds}. */
  void sent(double seconds) {
    secondsSent += seconds;
    sentUpTo[next] = secondsSent;
    sentAtNanos[next] = System.nanoTime();
    next = (next + 1) % KEPT;
    count = Math.min(count + 1, KEPT);
  }

  /**
   * A final with text arrived.
   *
   * @param endSeconds its end on the stream's clock
   * @return the latency recorded in nanoseconds, or -1 when no audio was sent yet
   */
  long finalArrived(double endSeconds) {
    if (count == 0) {
      return -1;
    }
    long now = System.nanoTime();
    // the oldest send that reached the final's end; the newest if the gateway claims more audio than sent
    int oldest = (next - count + KEPT) % KEPT;
    long sentAt = sentAtNanos[(next - 1 + KEPT) % KEPT];
    for (int i = 0; i < count; i++) {
      int at = (oldest + i) % KEPT;
      if (sentUpTo[at] >= endSeconds - 1e-6) {
        sentAt = sentAtNanos[at];
        break;
      }
    }
    long latency = Math.max(0, now - sentAt);
    if (timer != null) {
      timer.record(latency, TimeUnit.NANOSECONDS);
    }
    return latency;
  }
}
