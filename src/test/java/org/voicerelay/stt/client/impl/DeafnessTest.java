package org.voicerelay.stt.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeafnessTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Timer timer() {
    return registry.get(Deafness.METER).timer();
  }

  @Test
  void aSpellRunsFromWhenTheGatewayWasLastHeardToTheNextTranscriptEvent() {
    Deafness deafness = Deafness.in(registry);
    long lastHeard = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(3_000);
    deafness.lost(lastHeard, false);
    assertTrue(deafness.currentMs() >= 3_000, "deaf since the gateway was last heard: " + deafness.currentMs());
    deafness.heard();
    assertEquals(0, deafness.currentMs());
    assertEquals(1, timer().count());
    assertTrue(timer().totalTime(TimeUnit.MILLISECONDS) >= 3_000);
    assertTrue(deafness.longestMs() >= 3_000);
  }

  @Test
  void failuresDuringASpellDoNotRestartIt() {
    Deafness deafness = Deafness.in(registry);
    deafness.lost(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(2_000), false);
    deafness.lost(System.nanoTime(), false);
    deafness.heard();
    assertEquals(1, timer().count());
    assertTrue(timer().max(TimeUnit.MILLISECONDS) >= 2_000, "the spell began at the first failure");
  }

  @Test
  void aFailureAfterTheInputEndedIsNoSpellAndTranscriptsWithoutASpellRecordNothing() {
    Deafness deafness = Deafness.in(registry);
    deafness.heard();
    deafness.lost(System.nanoTime(), true);
    deafness.heard();
    assertEquals(0, timer().count());
    assertEquals(0, deafness.longestMs());
  }

  @Test
  void aStreamThatEndsDeafRecordsItsSpell() {
    Deafness deafness = Deafness.in(registry);
    deafness.lost(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(500), false);
    deafness.over();
    assertEquals(1, timer().count());
  }

  @Test
  void withoutARegistryTheStreamStillKnowsItsSpells() {
    Deafness deafness = Deafness.in(null);
    deafness.lost(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(1_000), false);
    assertTrue(deafness.currentMs() >= 1_000);
  }
}
