package org.voicerelay.stt.bus.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.bus.AdmissionOptions;
import org.voicerelay.stt.bus.BusErrorCode;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.bus.impl.AdmissionControl;
import org.voicerelay.stt.bus.impl.SttMetrics;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/**
 * Admission control: a saturated node refuses opens with 503 {@code overloaded} and takes them
 * again once it has recovered; the node audio budget bounds the sessions by construction and is
 * checked at start.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class AdmissionControlTest {

  private static final long ONE_SESSION = AdmissionControl.sessionBytes(new SttVerticleOptions());
  /** What {@link Fixtures#failureCodes} gives for an open that succeeded. */
  private static final int ADMITTED = -2;

  /** A Vert.x with one event loop, so the test can make the verticle's loop lag. */
  private Vertx oneLoop;
  private long hog = -1;

  @AfterEach
  void closeOneLoop() throws Exception {
    if (oneLoop != null) {
      oneLoop.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private Future<TestStack> deployOnOneLoop(SimpleMeterRegistry meters) {
    oneLoop = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    return TestStack.builder()
        .verticle(o -> o.setAdmission(new AdmissionOptions().setMaxEventLoopLagMs(50).setAdmissionRecoveryMs(300)))
        .meterRegistry(meters)
        .deploy(oneLoop);
  }

  /** Keeps the only event loop busy 150 ms out of every ~170: every timer on it runs late. */
  private void startHogging() {
    hog = oneLoop.setPeriodic(20, t -> {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(150);
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
    });
  }

  private static Future<Void> until(Vertx vertx, BooleanSupplier condition) {
    Promise<Void> reached = Promise.promise();
    vertx.setPeriodic(20, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        reached.tryComplete();
      }
    });
    return reached.future();
  }

  @Test
  void aSaturatedLoneNodeAnswersOpensWith503Overloaded(VertxTestContext ctx) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    deployOnOneLoop(meters).compose(stack -> stack.open(new JsonObject()).compose(serving -> {
      startHogging();
      return until(oneLoop, () -> stack.verticle.nodeLoad().saturated())
          .compose(v -> stack.open(new JsonObject()))
          .transform(ar -> Future.succeededFuture(ar.cause()))
          .onComplete(ctx.succeeding(failure -> ctx.verify(() -> {
            ReplyException e = (ReplyException) failure;
            assertEquals(BusErrorCode.OVERLOADED, e.failureCode());
            assertEquals("overloaded", BusErrorCode.name(e.failureCode()));
            assertTrue(e.getMessage().startsWith("overloaded: the node's event loops lag"), e.getMessage());
            JsonObject status = stack.verticle.nodeLoad().status();
            assertEquals("event_loop_lag", status.getString("cause"), status.encode());
            assertEquals(1, status.getInteger("admittedSessions"));
            assertEquals(1.0, meters.get(SttMetrics.OPENS_REFUSED).tag("cause", "event_loop_lag").counter().count());
            assertEquals(1.0, meters.get(SttMetrics.NODE_SATURATED).gauge().value());
            ctx.completeNow();
          })));
    }));
  }

  @Test
  void aNodeTakesOpensAgainOnceItHasRecovered(VertxTestContext ctx) {
    deployOnOneLoop(new SimpleMeterRegistry()).compose(stack -> stack.open(new JsonObject()).compose(serving -> {
      startHogging();
      return until(oneLoop, () -> stack.verticle.nodeLoad().saturated())
          .compose(v -> {
            oneLoop.cancelTimer(hog);
            return until(oneLoop, () -> !stack.verticle.nodeLoad().saturated());
          })
          .compose(v -> stack.open(new JsonObject()))
          .compose(session -> stack.control(session, "end"))
          .compose(ended -> stack.control(serving, "end").map(ended))
          .onComplete(ctx.succeeding(ended -> ctx.verify(() -> {
            assertEquals("ended", ended.getString("reason"));
            assertEquals(0, stack.verticle.nodeLoad().status().getInteger("admittedSessions"));
            ctx.completeNow();
          })));
    }));
  }

  @Test
  void anIdleNodeIsNotRefusedForLagItDidNotCause(VertxTestContext ctx) {
    deployOnOneLoop(new SimpleMeterRegistry()).compose(stack -> {
      startHogging();
      return delay(oneLoop, 1_500).compose(v -> {
        ctx.verify(() -> assertFalse(stack.verticle.nodeLoad().saturated(), stack.verticle.nodeLoad().status().encode()));
        return stack.open(new JsonObject());
      });
    }).onComplete(ctx.succeeding(session -> ctx.verify(() -> {
      assertTrue(session.containsKey("audioAddress"));
      ctx.completeNow();
    })));
  }

  private static Future<Void> delay(Vertx vertx, long ms) {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(ms, t -> done.complete());
    return done.future();
  }

  @Test
  void opensBeyondTheNodeAudioBudgetAreRefusedUntilASessionEnds(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(o -> o.setAdmission(new AdmissionOptions()
            .setNodeAudioBudgetBytes(2 * ONE_SESSION + ONE_SESSION / 2).setAdmissionRecoveryMs(200))).deploy(vertx)
        .compose(stack -> stack.open(new JsonObject())
            .compose(first -> stack.open(new JsonObject())
                .compose(second -> Fixtures.failureCodes(stack.open(new JsonObject())))
                .compose(codes -> {
                  ctx.verify(() -> {
                    assertEquals(List.of(BusErrorCode.OVERLOADED), codes);
                    JsonObject status = stack.verticle.nodeLoad().status();
                    assertEquals("audio_budget", status.getString("cause"), status.encode());
                    assertEquals(2, status.getInteger("maxAdmittedSessions"));
                    assertEquals(2 * ONE_SESSION, status.getLong("reservedBytes"));
                  });
                  return stack.control(first, "end");
                }))
            .compose(ended -> until(vertx, () -> !stack.verticle.nodeLoad().saturated()))
            .compose(v -> stack.open(new JsonObject())))
        .onComplete(ctx.succeeding(third -> ctx.verify(() -> {
          assertTrue(third.getString("sessionId").startsWith("s_"), third.encode());
          ctx.completeNow();
        })));
  }

  @Test
  void opensBeyondTheAdmissionRateAreRefusedWith503WithoutSaturatingTheNode(Vertx vertx, VertxTestContext ctx) {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    TestStack.builder().verticle(o -> o.setMaxAdmissionsPerSecond(1)).meterRegistry(meters).deploy(vertx)
        .compose(stack -> Fixtures.failureCodes(stack.open(new JsonObject()), stack.open(new JsonObject()),
                stack.open(new JsonObject()))
            .onComplete(ctx.succeeding(codes -> ctx.verify(() -> {
              assertEquals(List.of(BusErrorCode.OVERLOADED, BusErrorCode.OVERLOADED, ADMITTED),
                  codes.stream().sorted(Comparator.reverseOrder()).toList());
              JsonObject status = stack.verticle.nodeLoad().status();
              assertFalse(status.getBoolean("saturated"), status.encode());
              assertEquals(1, status.getInteger("admittedSessions"));
              assertEquals(1, status.getInteger("maxAdmissionsPerSecond"));
              assertEquals(2.0, meters.get(SttMetrics.OPENS_REFUSED).tag("cause", "admission_rate").counter().count());
              ctx.completeNow();
            }))));
  }

  @Test
  void theAdmissionRateRefusalSaysWhyAndWhatToDo(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(o -> o.setMaxAdmissionsPerSecond(1)).deploy(vertx)
        .compose(stack -> Future.all(stack.open(new JsonObject()), stack.open(new JsonObject()))
            .transform(ar -> Future.succeededFuture(ar.cause())))
        .onComplete(ctx.succeeding(err -> ctx.verify(() -> {
          ReplyException e = (ReplyException) err;
          assertEquals(BusErrorCode.OVERLOADED, e.failureCode());
          assertEquals("overloaded: the node admits at most 1 sessions a second (maxAdmissionsPerSecond) and has"
              + " admitted its share; open again in a moment or on another node", e.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  void aNodeAdmitsAgainOnceTheAdmissionRateHasRefilled(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(o -> o.setMaxAdmissionsPerSecond(1)).deploy(vertx)
        .compose(stack -> Fixtures.failureCodes(stack.open(new JsonObject()), stack.open(new JsonObject()))
            .compose(codes -> {
              ctx.verify(() -> assertTrue(codes.contains(BusErrorCode.OVERLOADED), codes.toString()));
              // one admission a second
              return delay(vertx, 1_100);
            })
            .compose(v -> stack.open(new JsonObject())))
        .onComplete(ctx.succeeding(next -> ctx.verify(() -> {
          assertTrue(next.getString("sessionId").startsWith("s_"), next.encode());
          ctx.completeNow();
        })));
  }

  @Test
  void aBudgetThatCannotHoldOneSessionStopsTheVerticleFromStarting(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(o -> o.getAdmission().setNodeAudioBudgetBytes(ONE_SESSION - 2)).deploy(vertx)
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertTrue(err instanceof IllegalArgumentException, String.valueOf(err));
          assertTrue(err.getMessage().contains("cannot hold a single session"), err.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  void startWarnsWhenMaxSessionsDoNotFitTheBudget() {
    SttVerticleOptions options = new SttVerticleOptions().setMaxSessions(1000)
        .setAdmission(new AdmissionOptions().setNodeAudioBudgetBytes(10 * ONE_SESSION + 5));
    String warning = AdmissionControl.budgetWarning(options, 1L << 31).orElseThrow();
    assertTrue(warning.contains("maxSessions 1000") && warning.contains("at most 10 sessions will be admitted"),
        warning);
    assertFalse(AdmissionControl.budgetWarning(options.setMaxSessions(10), 1L << 31).isPresent());
  }

  @Test
  void replayAudioTheGatewayDoesNotFinalizeSaturatesTheNodeUntilItIsCovered(Vertx vertx) {
    long budget = 10 * ONE_SESSION;
    AdmissionControl node = AdmissionControl.create(new SttVerticleOptions().setPrefix("replaytest")
        .setAdmission(new AdmissionOptions().setNodeAudioBudgetBytes(budget).setAdmissionRecoveryMs(1)));
    Object instance = new Object();
    node.report(instance, 0, 0, budget / 4, 0);
    assertFalse(node.saturated(), "a quarter of the budget in replay is a working gateway");
    node.report(instance, 0, 0, budget / 2 + 1, 0);
    assertTrue(node.saturated());
    assertEquals("replay_audio", node.status().getString("cause"));
    assertEquals(budget / 2 + 1, node.status().getLong("replayBytes"));
    assertTrue(node.refusal(AdmissionControl.Cause.REPLAY_AUDIO).contains("not finalized"));
    node.report(instance, 0, 0, budget / 3, 0);
    assertTrue(node.saturated(), "recovery needs the replay audio below a quarter of the budget");
    node.report(instance, 0, 0, budget / 8, 0);
    long calmSince = System.nanoTime();
    while (System.nanoTime() - calmSince < 5_000_000) {
      Thread.onSpinWait(); // admissionRecoveryMs is 1 ms
    }
    node.report(instance, 0, 0, budget / 8, 0);
    assertFalse(node.saturated(), node.status().encode());
  }

  @Test
  void statusShowsTheLongestDeafSpellUnderWayAmongTheInstancesSessions() {
    AdmissionControl node = AdmissionControl.create(new SttVerticleOptions().setPrefix("deaftest"));
    Object first = new Object();
    Object second = new Object();
    node.report(first, 0, 0, 0, 1_200);
    node.report(second, 0, 0, 0, 4_500);
    assertEquals(4_500, node.status().getLong("longestCurrentDeafMs"));
    node.report(second, 0, 0, 0, 0);
    assertEquals(1_200, node.status().getLong("longestCurrentDeafMs"), "the second instance hears again");
  }

  @Test
  void theDefaultBudgetIsHalfTheHeapAndEachSessionCountsItsBufferAndReplay() {
    SttVerticleOptions options = new SttVerticleOptions().setMaxBufferedBytes(100_000)
        .setClient(new SttOptions().setSampleRate(16_000).setReplayBufferMs(5_000));
    assertEquals(100_000 + 16_000 * 2 * 5, AdmissionControl.sessionBytes(options));
    assertEquals(Runtime.getRuntime().maxMemory() / 2, AdmissionControl.budgetBytes(options), 1.0);
    String warning = AdmissionControl.budgetWarning(options.setAdmission(new AdmissionOptions().setNodeAudioBudgetBytes(1L << 32)), 1L << 31)
        .orElseThrow();
    assertTrue(warning.contains("larger than the max heap"), warning);
  }

  @Test
  void eventsPrefixesThatOverlapTheContractAreRefusedWithAClearMessage() {
    for (String unsafe : List.of("stt.", "stt", "s", "stt.session.", "stt.open", "stt.web.")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new SttVerticleOptions().setAllowedEventsPrefixes(List.of("app.", unsafe)), unsafe);
      assertTrue(e.getMessage().contains("'" + unsafe + "'") && e.getMessage().contains("session audio and control"),
          e.getMessage());
    }
    new SttVerticleOptions().setAllowedEventsPrefixes(List.of("app.", "stt.events.", "sttx."));
  }

  @Test
  void aVerticleWhosePrefixCoversAnEventsPrefixDoesNotStart(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(o -> o.setPrefix("app")).deploy(vertx)
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertTrue(err.getMessage().contains("allowedEventsPrefixes must not contain 'app.'"), err.getMessage());
          ctx.completeNow();
        })));
  }
}
