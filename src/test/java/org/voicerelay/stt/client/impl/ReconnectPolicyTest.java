package org.voicerelay.stt.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.voicerelay.stt.client.ConnectOptions;

/** Exponential backoff with full jitter, and a budget that only a proven connection refills. */
class ReconnectPolicyTest {

  @Test
  void theBoundGrowsByTheMultiplierUpToTheMaximum() {
    ReconnectPolicy policy = new ReconnectPolicy(new ConnectOptions().setInitialDelayMs(100)
        .setMultiplier(4).setMaxDelayMs(5_000));
    assertEquals(100, policy.bound(0), "LiveKit's fast first retry");
    assertEquals(400, policy.bound(1));
    assertEquals(1_600, policy.bound(2));
    assertEquals(5_000, policy.bound(3));
    assertEquals(5_000, policy.bound(30));
  }

  @Test
  void delaysAreSpreadOverTheWholeRangeFromZeroToTheBound() {
    int[] buckets = new int[4];
    for (int i = 0; i < 4_000; i++) {
      ReconnectPolicy policy = new ReconnectPolicy(new ConnectOptions().setInitialDelayMs(400));
      long delay = policy.nextDelay();
      assertTrue(delay >= 0 && delay <= 400, "delay " + delay);
      buckets[(int) Math.min(3, delay / 100)]++;
    }
    for (int n : buckets) {
      assertTrue(n > 800 && n < 1_200, "each quarter of the range gets about a quarter: " + java.util.Arrays.toString(buckets));
    }
  }

  @Test
  void theBudgetIsSpentRetryByRetryAndRefilledByReset() {
    ReconnectPolicy policy = new ReconnectPolicy(new ConnectOptions().setMaxRetry(2));
    policy.nextDelay();
    policy.nextDelay();
    assertFalse(policy.canRetry());
    policy.reset();
    assertTrue(policy.canRetry());
    assertEquals(0, policy.used());
  }
}
