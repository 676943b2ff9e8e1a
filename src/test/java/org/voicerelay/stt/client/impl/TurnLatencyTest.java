package org.voicerelay.stt.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which send a final's end is measured from. */
class TurnLatencyTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void aFinalIsMeasuredFromTheSendThatReachedItsEndNotFromTheLatest() throws Exception {
    TurnLatency latency = TurnLatency.in(registry);
    latency.sent(0.05); // up to 0.05 s
    latency.sent(0.05); // up to 0.10 s: the turn's end is in this send
    Thread.sleep(200);
    latency.sent(0.05); // later audio, after the turn
    long nanos = latency.finalArrived(0.08);
    assertTrue(nanos >= TimeUnit.MILLISECONDS.toNanos(200), "from the send holding 0.08 s: " + nanos);
    assertEquals(1, registry.get(TurnLatency.METER).timer().count());
  }

  @Test
  void anEndBeyondTheAudioSentIsMeasuredFromTheLatestSend() throws Exception {
    TurnLatency latency = TurnLatency.in(registry);
    latency.sent(0.05);
    Thread.sleep(100);
    latency.sent(0.05);
    long nanos = latency.finalArrived(0.3);
    assertTrue(nanos < TimeUnit.MILLISECONDS.toNanos(100), "the gateway's rounding is not a delay: " + nanos);
  }

  @Test
  void anEndOlderThanTheSendsKeptIsMeasuredFromTheOldestKept() throws Exception {
    TurnLatency latency = TurnLatency.in(registry);
    latency.sent(0.05);
    Thread.sleep(100);
    for (int i = 0; i < TurnLatency.KEPT; i++) {
      latency.sent(0.05);
    }
    long nanos = latency.finalArrived(0.05);
    assertTrue(nanos < TimeUnit.MILLISECONDS.toNanos(100), "a lower bound, not the forgotten send: " + nanos);
  }

  @Test
  void beforeAnyAudioNothingIsMeasured() {
    TurnLatency latency = TurnLatency.in(registry);
    assertEquals(-1, latency.finalArrived(1.0));
    assertEquals(0, registry.get(TurnLatency.METER).timer().count());
  }
}
