package org.voicerelay.stt.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.TestStack;

/**
 * A bus session through the two faults production meets weekly: a gateway restart, with the
 * client's default connect options, and a gateway that goes silent without closing, with a short
 * liveness deadline ({@code SilentGatewayTest} checks the default one). The caller sees a
 * {@code reconnecting} event and nothing lost; {@code status} tells how long the gateway has been
 * silent.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class BusSessionLivenessTest {

  private static final int CHUNK = 3_200; // 100 ms at 16 kHz
  private static final long REAL_TIME_MS = 100;

  /** Pings every 250 ms, silent after 3 s: what the silence tests check does not depend on the defaults. */
  private static final ConnectOptions SHORT_LIVENESS = new ConnectOptions().setPingIntervalMs(250)
      .setLivenessTimeoutMs(3_000);
  /** The silence starts 1 s into the audio and the stream goes on 6 s after it: the deadline, a reconnect, more audio. */
  private static final int SILENT_AT_CHUNK = 10;
  private static final double SILENCE_TEST_SECONDS = 7;

  private static Future<TestStack> stackWithDefaultConnectOptions(Vertx vertx) {
    return stackWith(vertx, new ConnectOptions());
  }

  private static Future<TestStack> stackWith(Vertx vertx, ConnectOptions connect) {
    return FaultFixtures.stack(1.0).verticle(o -> o.getClient().setConnectOptions(new ConnectOptions(connect))).deploy(vertx);
  }

  /**
   * The session's status once its gateway connection has heard nothing for {@code silentMs}, polled
   * every 100 ms. Not read at a fixed point of the audio: a busy machine may handle the gateway's
   * last frames late, and the status then shows less silence at any fixed moment; a status that
   * never shows the silence before the deadline (the stream then reconnects and hears again) fails.
   */
  private static Future<JsonObject> statusOnceSilentFor(Vertx vertx, TestStack stack, JsonObject session,
      long silentMs) {
    Promise<JsonObject> found = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHORT_LIVENESS.getLivenessTimeoutMs() + 5_000);
    vertx.setTimer(100, new io.vertx.core.Handler<Long>() {
      @Override
      public void handle(Long timer) {
        stack.control(session, "status").onComplete(ar -> {
          if (ar.succeeded() && ar.result().getJsonObject("stream").getLong("sinceLastHeardMs", 0L) >= silentMs) {
            found.complete(ar.result());
          } else if (System.nanoTime() > deadline) {
            found.fail(new AssertionError("the status never showed " + silentMs + " ms of silence, last: "
                + (ar.succeeded() ? ar.result().encode() : ar.cause())));
          } else {
            vertx.setTimer(100, this);
          }
        });
      }
    });
    return found.future();
  }

  @Test
  void aBusSessionRidesOutAFiveSecondGatewayRestartAndLosesNothing(Vertx vertx, VertxTestContext ctx) {
    byte[] pcm = FaultFixtures.audio(9);
    stackWithDefaultConnectOptions(vertx).compose(stack -> EventRecorder.on(vertx, "app.liveness.restart")
        .compose(events -> stack.open("app.liveness.restart")
            .compose(session -> FaultFixtures.live(stack.vertx, session, pcm, CHUNK, REAL_TIME_MS, n -> {
              if (n == 15) {
                stack.proxy.goDown().onSuccess(v -> vertx.setTimer(5_000, t -> stack.proxy.comeBack()));
              }
            }).compose(v -> stack.control(session, "end")))
            .compose(v -> events.closed())
            .map(closed -> {
              ctx.verify(() -> {
                assertEquals("ended", closed.getString("reason"));
                assertTrue(events.ofType("reconnecting").size() >= 1, "the session reconnected");
                assertEquals(List.of(), events.errors(false), "no final error");
                FaultFixtures.assertEveryByteTranscribedOnce(events.ofType("final_transcript"), pcm);
              });
              return null;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aSilentGatewayIsNoticedAndStatusShowsHowLongItHasBeenSilent(Vertx vertx, VertxTestContext ctx) {
    byte[] pcm = FaultFixtures.audio(SILENCE_TEST_SECONDS);
    Promise<JsonObject> silentStatus = Promise.promise();
    stackWith(vertx, SHORT_LIVENESS).compose(stack -> EventRecorder.on(vertx, "app.liveness.silent")
        .compose(events -> stack.open("app.liveness.silent")
            .compose(session -> FaultFixtures.live(stack.vertx, session, pcm, CHUNK, REAL_TIME_MS, n -> {
              if (n == SILENT_AT_CHUNK) {
                stack.proxy.silenceAll();
                statusOnceSilentFor(vertx, stack, session, 1_500).onComplete(silentStatus);
              }
            }).compose(v -> stack.control(session, "status"))
                .compose(lastStatus -> stack.control(session, "end").map(lastStatus)))
            .compose(lastStatus -> events.closed().map(closed -> {
              ctx.verify(() -> {
                assertEquals("ended", closed.getString("reason"));
                assertTrue(silentStatus.future().succeeded(), "status showed the silence: " + silentStatus.future().cause());
                assertEquals(0, silentStatus.future().result().getJsonObject("stream").getInteger("reconnects"),
                    "on the connection that went silent: " + silentStatus.future().result().encode());
                assertTrue(lastStatus.getJsonObject("stream").getLong("sinceLastHeardMs") < 5_000,
                    "the new connection is alive: " + lastStatus.encode());
                long deaf = lastStatus.getJsonObject("stream").getLong("longestDeafMs");
                assertTrue(deaf >= SHORT_LIVENESS.getLivenessTimeoutMs() - 1_000,
                    "the session was deaf from the gateway's last word until it was declared silent: " + deaf + " ms");
                List<JsonObject> reconnecting = events.ofType("reconnecting");
                assertEquals(1, reconnecting.size(), "one reconnect");
                assertEquals("gateway_silent", reconnecting.get(0).getJsonObject("error").getString("code"),
                    reconnecting.get(0).encode());
                assertEquals(List.of(), events.errors(false), "no final error");
                FaultFixtures.assertEveryByteTranscribedOnce(events.ofType("final_transcript"), pcm);
              });
              return null;
            }))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aResumableSessionRidesOutASilentGatewayAndItsStatusShowsTheRecognizingConnection(Vertx vertx,
      VertxTestContext ctx) {
    byte[] pcm = FaultFixtures.audio(SILENCE_TEST_SECONDS);
    Promise<JsonObject> silentStatus = Promise.promise();
    stackWith(vertx, SHORT_LIVENESS).compose(stack -> EventRecorder.on(vertx, "app.liveness.resumable")
        .compose(events -> vertx.eventBus().<JsonObject>request("stt.open", new JsonObject()
                .put("sampleRate", FaultFixtures.RATE).put("eventsAddress", "app.liveness.resumable").put("resumable", true))
            .map(reply -> reply.body())
            .compose(session -> FaultFixtures.live(stack.vertx, session, pcm, CHUNK, REAL_TIME_MS, n -> {
              if (n == SILENT_AT_CHUNK) {
                stack.proxy.silenceAll();
                statusOnceSilentFor(vertx, stack, session, 1_500).onComplete(silentStatus);
              }
            }).compose(v -> stack.control(session, "end")))
            .compose(v -> events.closed().map(closed -> {
              ctx.verify(() -> {
                assertEquals("ended", closed.getString("reason"));
                assertTrue(silentStatus.future().succeeded(),
                    "the recognizing session's connection showed the silence: " + silentStatus.future().cause());
                JsonObject status = silentStatus.future().result();
                assertEquals(true, status.getBoolean("resumable"), status.encode());
                assertEquals(0, status.getInteger("resumes"), "recognition did not move: the client reconnected");
                assertEquals(List.of(), events.errors(false), "no final error");
                FaultFixtures.assertEveryByteTranscribedOnce(events.ofType("final_transcript"), pcm);
              });
              return null;
            }))))
        .onComplete(ctx.succeedingThenComplete());
  }
}
