package org.voicerelay.stt.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.TestStack;

/**
 * Gateway faults end to end: bus -> verticle -> client -> {@link FaultProxy} -> local gateway
 * (counting engine). Long scenarios of the issue run at 10x real time (100 ms of audio every
 * 10 ms), keeping the ratio of audio to fault and the number of faults.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class GatewayFaultTest {

  private static final int CHUNK = 3_200; // 100 ms at 16 kHz
  private static final long TEN_TIMES_REAL_TIME_MS = 10;

  private static Future<Void> sleep(Vertx vertx, long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, t -> p.complete());
    return p.future();
  }

  @Test
  void aGatewayDroppedEveryFiveSecondsOfASixtySecondStreamLosesNoByteAndReconnectsOncePerDrop(Vertx vertx,
      VertxTestContext ctx) {
    byte[] pcm = FaultFixtures.audio(60);
    int[] drops = {0};
    int[] finalsBeforeEnd = {0};
    FaultFixtures.stack(2.0).deploy(vertx).compose(stack -> EventRecorder.on(vertx, "app.fault.drops")
        .compose(events -> stack.open("app.fault.drops")
            .compose(session -> FaultFixtures.live(stack.vertx, session, pcm, CHUNK, TEN_TIMES_REAL_TIME_MS, n -> {
              if (n % 50 == 0 && n < 600) { // every 5 s of audio: at 5, 10, ... 55 s
                drops[0]++;
                stack.proxy.dropAll();
              }
            }).compose(v -> {
              finalsBeforeEnd[0] = events.ofType("final_transcript").size();
              return stack.control(session, "end");
            }))
            .compose(v -> events.closed())
            .map(closed -> {
              ctx.verify(() -> {
                assertEquals(11, drops[0]);
                assertEquals(drops[0], events.ofType("reconnecting").size(), "one reconnecting event per drop");
                assertEquals("ended", closed.getString("reason"));
                assertEquals(List.of(), events.errors(false), "no final error");
                int finals = FaultFixtures.assertEveryByteTranscribedOnce(events.ofType("final_transcript"), pcm);
                assertTrue(finals >= 30, "about one final per 2 s of audio: " + finals);
                assertTrue(finalsBeforeEnd[0] >= 25, "transcripts continue between drops: " + finalsBeforeEnd[0]);
                assertEquals(12, stack.proxy.accepted(), "one connection plus one per drop");
              });
              return null;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aGatewayDownThenBackWithinTheRetryBudgetLosesNothing(Vertx vertx, VertxTestContext ctx) {
    byte[] pcm = FaultFixtures.audio(12);
    // The gateway comes back once the second reconnecting event has crossed the bus, and the third
    // retry may come sooner than that on a loaded machine (its pause is random, down to 0 ms). With
    // the breaker opening at the second refused attempt, that retry waits for the breaker's probe
    // instead (5 s), so the outage ends within the budget of three retries however slow the machine.
    FaultFixtures.stack(2.0).verticle(o -> o.getClient().setCircuitBreakerOptions(
            SttOptions.defaultCircuitBreakerOptions().setMaxFailures(2))).deploy(vertx)
        .compose(stack -> EventRecorder.on(vertx, "app.fault.down")
        .compose(events -> stack.open("app.fault.down")
            .compose(session -> FaultFixtures.live(stack.vertx, session, pcm, CHUNK, TEN_TIMES_REAL_TIME_MS, n -> {
              if (n == 30) {
                // down until the drop and one refused retry were reported: retries are randomly
                // spaced (full jitter), so the outage is measured in retries, not milliseconds;
                // the second or third retry gets through
                stack.proxy.goDown()
                    .compose(v -> events.first(e -> "reconnecting".equals(e.getString("type"))
                        && events.ofType("reconnecting").size() >= 2))
                    .compose(v -> stack.proxy.comeBack());
              }
            }).compose(v -> stack.control(session, "end")))
            .compose(v -> events.closed())
            .map(closed -> {
              ctx.verify(() -> {
                assertEquals("ended", closed.getString("reason"));
                int reconnecting = events.ofType("reconnecting").size();
                assertTrue(reconnecting >= 2 && reconnecting <= 3, "refused attempts were retried: " + reconnecting);
                assertEquals(List.of(), events.errors(false), "no final error");
                FaultFixtures.assertEveryByteTranscribedOnce(events.ofType("final_transcript"), pcm);
              });
              return null;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aGatewayDownForGoodEndsTheSessionWithOneClearErrorAndFreesEverything(Vertx vertx, VertxTestContext ctx) {
    byte[] pcm = FaultFixtures.audio(3);
    TestStack[] stack = new TestStack[1];
    EventRecorder[] events = new EventRecorder[1];
    JsonObject[] session = new JsonObject[1];
    JsonObject[] closed = new JsonObject[1];
    long[] downAt = new long[1];
    long[] closedAfterMs = new long[1];
    // the closed session answers 410 for 5 s (FaultFixtures' 500 ms were gone by the audio request
    // on a loaded machine); a 2 s reconnect window instead of 10 keeps the test short
    FaultFixtures.stack(0).verticle(o -> {
      o.setClosedSessionLingerMs(5_000);
      o.getClient().getConnectOptions().setReconnectWindowMs(2_000);
    }).deploy(vertx)
        .compose(s -> {
          stack[0] = s;
          return EventRecorder.on(vertx, "app.fault.gone");
        })
        .compose(e -> {
          events[0] = e;
          return stack[0].open("app.fault.gone");
        })
        .compose(s -> {
          session[0] = s;
          return FaultFixtures.live(stack[0].vertx, s, pcm, CHUNK, TEN_TIMES_REAL_TIME_MS, n -> {
            if (n == 10) {
              downAt[0] = System.nanoTime();
              stack[0].proxy.goDown();
            }
          });
        })
        .compose(v -> events[0].closed())
        .compose(c -> {
          closed[0] = c;
          closedAfterMs[0] = (System.nanoTime() - downAt[0]) / 1_000_000;
          return sleep(vertx, 100);
        })
        .compose(v -> stack[0].control(session[0], "status"))
        .compose(status -> {
          ctx.verify(() -> {
            assertEquals("failed", closed[0].getString("reason"));
            assertEquals("retries_exhausted", closed[0].getJsonObject("error").getString("code"));
            List<JsonObject> finalErrors = events[0].errors(false);
            assertEquals(1, finalErrors.size(), "one clear final error: " + finalErrors);
            assertEquals("retries_exhausted", finalErrors.get(0).getJsonObject("error").getString("code"));
            assertTrue(events[0].ofType("reconnecting").size() >= 3, "refused attempts are retried whatever their number");
            assertTrue(closedAfterMs[0] >= 2_000 && closedAfterMs[0] < 8_000,
                "gave up once the reconnect window had passed, in bounded time: " + closedAfterMs[0] + " ms");
            JsonObject last = events[0].events.get(events[0].events.size() - 1);
            assertEquals("closed", last.getString("type"));
            assertEquals("closed", status.getString("state"));
            assertEquals("CLOSED", status.getJsonObject("stream").getString("state"));
            assertEquals(0, status.getJsonObject("stream").getLong("bufferedBytes"));
            assertEquals(0.0, FaultFixtures.sessionsOpen(stack[0]), "the session is released");
            assertEquals(0, stack[0].proxy.openLinks(), "no connection left");
          });
          return vertx.eventBus().request(session[0].getString("audioAddress"), Buffer.buffer(new byte[320]));
        })
        .transform(ar -> {
          ctx.verify(() -> {
            assertTrue(ar.failed());
            assertEquals(410, ((ReplyException) ar.cause()).failureCode(), "audio after the failure");
          });
          return Future.succeededFuture();
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aSlowGatewayHoldsRequestReplySendersAtTheWriteQueueAndLosesNothing(Vertx vertx, VertxTestContext ctx) {
    byte[] pcm = FaultFixtures.audio(300); // 9.6 MB: more than the kernel's socket buffers can hide
    int writeQueue = 64 * 1024;
    FaultFixtures.stack(0).verticle(o -> o.setIdleTimeoutMs(60_000))
        .deploy(vertx).compose(stack -> EventRecorder.on(vertx, "app.fault.slow")
        .compose(events -> stack.open("app.fault.slow").compose(s -> sleep(vertx, 300).map(s)).compose(session -> {
          stack.proxy.stall(true);
          Future<Void> sent = stack.stream(session, pcm, CHUNK, 4, new DeliveryOptions().setSendTimeout(60_000));
          return sleep(vertx, 2_500)
              .compose(v -> stack.control(session, "status"))
              .compose(status -> {
                long buffered = status.getJsonObject("stream").getLong("bufferedBytes");
                ctx.verify(() -> {
                  assertFalse(sent.isComplete(), "the sender is held");
                  assertTrue(buffered <= writeQueue + 4L * CHUNK, "buffered " + buffered + " bytes");
                });
                stack.proxy.stall(false);
                return sent;
              })
              .compose(v -> stack.control(session, "end"))
              .compose(v -> events.closed())
              .map(closed -> {
                ctx.verify(() -> {
                  assertEquals("ended", closed.getString("reason"));
                  assertEquals(List.of(), events.ofType("error"));
                  FaultFixtures.assertEveryByteTranscribedOnce(events.ofType("final_transcript"), pcm);
                });
                return null;
              });
        })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aSlowGatewayRefusesFireAndForgetAudioBeyondTheBufferLimitAndTheSessionGoesOn(Vertx vertx,
      VertxTestContext ctx) {
    int limit = 256 * 1024;
    byte[] pcm = FaultFixtures.audio(300);
    FaultFixtures.stack(0).verticle(o -> o.setMaxBufferedBytes(limit).setIdleTimeoutMs(60_000)).deploy(vertx)
        .compose(stack -> EventRecorder.on(vertx, "app.fault.flood")
        .compose(events -> stack.open("app.fault.flood").compose(s -> sleep(vertx, 300).map(s)).compose(session -> {
          stack.proxy.stall(true);
          for (int off = 0; off < pcm.length; off += CHUNK) {
            vertx.eventBus().send(session.getString("audioAddress"), Buffer.buffer().appendBytes(pcm, off, CHUNK));
          }
          return sleep(vertx, 1_500)
              .compose(v -> stack.control(session, "status"))
              .compose(status -> {
                long buffered = status.getJsonObject("stream").getLong("bufferedBytes");
                List<JsonObject> full = events.ofType("error").stream()
                    .filter(e -> "buffer_full".equals(e.getJsonObject("error").getString("code"))).toList();
                long taken = Math.round(status.getDouble("audioSecondsReceived") * FaultFixtures.BYTES_PER_SECOND / CHUNK);
                ctx.verify(() -> {
                  assertTrue(buffered <= limit, "buffered " + buffered + " bytes, limit " + limit);
                  // how much the sockets absorb before the stall bites is the kernel's to decide;
                  // every chunk past that is refused, each with its own buffer_full
                  assertTrue(!full.isEmpty() && taken < pcm.length / CHUNK, "a stalled gateway refuses some chunks");
                  assertEquals(pcm.length / CHUNK, taken + full.size(), "every chunk taken or refused with buffer_full");
                  assertEquals(full.size(), events.ofType("error").size());
                  assertEquals(507, full.get(0).getJsonObject("error").getInteger("failureCode"));
                });
                stack.proxy.stall(false);
                return stack.control(session, "end").map(status.getDouble("audioSecondsReceived"));
              })
              .compose(accepted -> events.closed().map(closed -> {
                ctx.verify(() -> {
                  assertEquals("ended", closed.getString("reason"));
                  assertEquals(0, events.ofType("reconnecting").size());
                  JsonObject meta = events.ofType("final_transcript").get(0).getJsonArray("alternatives")
                      .getJsonObject(0).getJsonObject("metadata");
                  assertEquals(Math.round(accepted * FaultFixtures.BYTES_PER_SECOND), meta.getLong("totalBytes"),
                      "every accepted byte reached the gateway");
                });
                return null;
              }));
        })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void garbageAndUnknownFramesFromTheGatewayAreReportedAndTheSessionGoesOn(Vertx vertx, VertxTestContext ctx) {
    byte[] pcm = FaultFixtures.audio(8);
    FaultFixtures.stack(2.0).deploy(vertx).compose(stack -> EventRecorder.on(vertx, "app.fault.garbage")
        .compose(events -> stack.open("app.fault.garbage")
            .compose(session -> FaultFixtures.live(stack.vertx, session, pcm, CHUNK, TEN_TIMES_REAL_TIME_MS, n -> {
              if (n == 20) {
                stack.proxy.injectToClients("this is not json");
                stack.proxy.injectToClients("{\"type\":\"final_transcript\",\"transcript\":");
                stack.proxy.injectToClients("{\"type\":\"mystery_event\",\"payload\":[1,2,3]}");
                stack.proxy.injectToClients("[1,2,3]");
                stack.proxy.injectBinaryToClients(Buffer.buffer(new byte[] {0, 1, 2, 3}));
              }
            }).compose(v -> stack.control(session, "end")))
            .compose(v -> events.closed())
            .map(closed -> {
              ctx.verify(() -> {
                assertEquals("ended", closed.getString("reason"));
                assertEquals(0, events.ofType("reconnecting").size(), "the connection was kept");
                assertEquals(List.of(), events.errors(false));
                List<JsonObject> reported = events.errors(true);
                assertTrue(reported.size() >= 2 && reported.size() <= 4, "malformed frames reported: " + reported);
                reported.forEach(e -> assertEquals("protocol_error", e.getJsonObject("error").getString("code")));
                FaultFixtures.assertEveryByteTranscribedOnce(events.ofType("final_transcript"), pcm);
              });
              return null;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aGatewayThatAnswers401OnReconnectEndsTheSessionWithAnAuthenticationErrorAndNoMoreRetries(Vertx vertx,
      VertxTestContext ctx) {
    byte[] pcm = FaultFixtures.audio(5);
    FaultFixtures.stack(1.0).deploy(vertx).compose(stack -> EventRecorder.on(vertx, "app.fault.401")
        .compose(events -> stack.open("app.fault.401")
            .compose(session -> {
              // the drop comes with the first final transcript (the credentials were good until
              // then), whenever it arrives: on a loaded machine that can be after the last chunk
              events.first(e -> "final_transcript".equals(e.getString("type"))).onSuccess(first -> {
                stack.proxy.rejectWith(401);
                stack.proxy.dropAll();
              });
              return FaultFixtures.live(stack.vertx, session, pcm, CHUNK, TEN_TIMES_REAL_TIME_MS, n -> { });
            }).compose(v -> events.closed()).compose(closed -> sleep(vertx, 500).map(closed))
            .map(closed -> {
              ctx.verify(() -> {
                assertEquals("failed", closed.getString("reason"));
                assertEquals("authentication_failed", closed.getJsonObject("error").getString("code"));
                assertEquals(1, events.ofType("reconnecting").size());
                List<JsonObject> finalErrors = events.errors(false);
                assertEquals(1, finalErrors.size(), finalErrors.toString());
                assertEquals("authentication_failed", finalErrors.get(0).getJsonObject("error").getString("code"));
                assertEquals(2, stack.proxy.upgrades(), "no retry after the 401");
                assertTrue(events.ofType("final_transcript").size() >= 1, "transcripts before the drop were delivered");
                assertEquals(0.0, FaultFixtures.sessionsOpen(stack));
              });
              return null;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }
}
