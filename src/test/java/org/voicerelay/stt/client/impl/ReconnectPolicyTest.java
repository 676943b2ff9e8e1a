package org.voicerelay.stt.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;

/** Backoff with a floor under each pause, and a budget of time (and of dropped connections). */
class ReconnectPolicyTest {

  private final AtomicLong nowMs = new AtomicLong(1_000);

  private static SttException refused() {
    return new SttException(SttErrorCode.CONNECTION_FAILED, "refused", true, -1, null);
  }

  private static SttException dropped() {
    return new SttException(SttErrorCode.CONNECTION_CLOSED, "dropped", true, -1, null);
  }

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
  void everyPauseLiesBetweenHalfItsBoundAndItsBoundAndCoversThatRange() {
    int[] buckets = new int[2];
    for (int i = 0; i < 4_000; i++) {
      ReconnectPolicy policy = new ReconnectPolicy(new ConnectOptions().setInitialDelayMs(400).setMaxDelayMs(1_000));
      long delay = policy.nextDelay();
      assertTrue(delay >= 200 && delay <= 400, "delay " + delay);
      buckets[delay < 300 ? 0 : 1]++;
    }
    assertTrue(buckets[0] > 1_800 && buckets[1] > 1_800, "both halves of the range: " + buckets[0] + "/" + buckets[1]);
  }

  @Test
  void refusedConnectionsAreRetriedUntilTheWindowHasPassedWhateverTheirNumber() {
    ReconnectPolicy policy = new ReconnectPolicy(new ConnectOptions().setMaxRetry(3).setReconnectWindowMs(10_000),
        nowMs::get);
    for (int i = 0; i < 50; i++) {
      assertNull(policy.exhaustedBy(refused()), "refusal " + i + " inside the window");
      policy.nextDelay();
      nowMs.addAndGet(199);
    }
    nowMs.set(1_000 + 10_000);
    String why = policy.exhaustedBy(refused());
    assertNotNull(why);
    assertTrue(why.contains("reconnectWindowMs 10000"), why);
  }

  @Test
  void connectionsThatOpenAndDropAreRetriedMaxRetryTimes() {
    ReconnectPolicy policy = new ReconnectPolicy(new ConnectOptions().setMaxRetry(3), nowMs::get);
    for (int i = 0; i < 3; i++) {
      assertNull(policy.exhaustedBy(dropped()));
      nowMs.addAndGet(500);
    }
    String why = policy.exhaustedBy(dropped());
    assertNotNull(why);
    assertTrue(why.contains("dropped 4 connections"), why);
  }

  @Test
  void aProvenConnectionStartsANewRunWithAFullBudget() {
    ReconnectPolicy policy = new ReconnectPolicy(new ConnectOptions().setMaxRetry(1).setReconnectWindowMs(1_000),
        nowMs::get);
    assertNull(policy.exhaustedBy(dropped()));
    policy.nextDelay();
    nowMs.addAndGet(5_000);
    policy.reset();
    assertEquals(0, policy.used());
    assertNull(policy.exhaustedBy(dropped()), "a new run: the window and the drops start again");
  }

  @Test
  void anAnsweredConnectionStartsTheWindowAgain() {
    ReconnectPolicy policy = new ReconnectPolicy(new ConnectOptions().setMaxRetry(3).setReconnectWindowMs(10_000),
        nowMs::get);
    assertNull(policy.exhaustedBy(dropped()), "the gateway restarts");
    nowMs.addAndGet(8_000);
    policy.answered();
    nowMs.addAndGet(9_000);
    assertNull(policy.exhaustedBy(dropped()), "17 s into the run, 9 s after the gateway answered");
    nowMs.addAndGet(10_000);
    assertNotNull(policy.exhaustedBy(refused()), "10 s after the last answer");
  }

  @Test
  void answersDoNotForgiveDrops() {
    ReconnectPolicy policy = new ReconnectPolicy(new ConnectOptions().setMaxRetry(2).setReconnectWindowMs(10_000),
        nowMs::get);
    for (int i = 0; i < 2; i++) {
      policy.answered();
      assertNull(policy.exhaustedBy(dropped()));
      nowMs.addAndGet(500);
    }
    policy.answered();
    String why = policy.exhaustedBy(dropped());
    assertNotNull(why, "a gateway that answers and drops every connection meets the stream maxRetry + 1 times");
    assertTrue(why.contains("dropped 3 connections"), why);
  }

  @Test
  void aZeroWindowRetriesNothing() {
    ReconnectPolicy policy = new ReconnectPolicy(new ConnectOptions().setReconnectWindowMs(0), nowMs::get);
    assertNotNull(policy.exhaustedBy(refused()));
  }
}
