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
 * A bus session, with the client's default connect options, through the two faults production
 * meets weekly: a gateway restart and a gateway that goes silent without closing. The caller sees
 * a {@code reconnecting} event and nothing lost; {@code status} tells how long the gateway has been
 * silent.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class BusSessionLivenessTest {

  private static final int CHUNK = 3_200; // 100 ms at 16 kHz
  private static final long REAL_TIME_MS = 100;

  private static Future<TestStack> stackWithDefaultConnectOptions(Vertx vertx) {
    return FaultFixtures.stack(1.0).verticle(o -> o.getClient().setConnectOptions(new ConnectOptions())).deploy(vertx);
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
    byte[] pcm = FaultFixtures.audio(16);
    Promise<JsonObject> silentStatus = Promise.promise();
    stackWithDefaultConnectOptions(vertx).compose(stack -> EventRecorder.on(vertx, "app.liveness.silent")
        .compose(events -> stack.open("app.liveness.silent")
            .compose(session -> FaultFixtures.live(stack.vertx, session, pcm, CHUNK, REAL_TIME_MS, n -> {
              if (n == 20) {
                stack.proxy.silenceAll();
              } else if (n == 40) {
                stack.control(session, "status").onComplete(silentStatus);
              }
            }).compose(v -> stack.control(session, "status"))
                .compose(lastStatus -> stack.control(session, "end").map(lastStatus)))
            .compose(lastStatus -> events.closed().map(closed -> {
              ctx.verify(() -> {
                assertEquals("ended", closed.getString("reason"));
                JsonObject silent = silentStatus.future().result().getJsonObject("stream");
                assertTrue(silent.getLong("sinceLastHeardMs") >= 1_500,
                    "2 s into the silence nothing was heard for that long: " + silent.encode());
                assertTrue(lastStatus.getJsonObject("stream").getLong("sinceLastHeardMs") < 5_000,
                    "the new connection is alive: " + lastStatus.encode());
                long deaf = lastStatus.getJsonObject("stream").getLong("longestDeafMs");
                assertTrue(deaf >= new ConnectOptions().getLivenessTimeoutMs() - 1_000,
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
    byte[] pcm = FaultFixtures.audio(16);
    Promise<JsonObject> silentStatus = Promise.promise();
    stackWithDefaultConnectOptions(vertx).compose(stack -> EventRecorder.on(vertx, "app.liveness.resumable")
        .compose(events -> vertx.eventBus().<JsonObject>request("stt.open", new JsonObject()
                .put("sampleRate", FaultFixtures.RATE).put("eventsAddress", "app.liveness.resumable").put("resumable", true))
            .map(reply -> reply.body())
            .compose(session -> FaultFixtures.live(stack.vertx, session, pcm, CHUNK, REAL_TIME_MS, n -> {
              if (n == 20) {
                stack.proxy.silenceAll();
              } else if (n == 40) {
                stack.control(session, "status").onComplete(silentStatus);
              }
            }).compose(v -> stack.control(session, "end")))
            .compose(v -> events.closed().map(closed -> {
              ctx.verify(() -> {
                assertEquals("ended", closed.getString("reason"));
                JsonObject status = silentStatus.future().result();
                assertEquals(true, status.getBoolean("resumable"), status.encode());
                assertTrue(status.getJsonObject("stream").getLong("sinceLastHeardMs") >= 1_500,
                    "the recognizing session's connection, 2 s into the silence: " + status.encode());
                assertEquals(0, status.getInteger("resumes"), "recognition did not move: the client reconnected");
                assertEquals(List.of(), events.errors(false), "no final error");
                FaultFixtures.assertEveryByteTranscribedOnce(events.ofType("final_transcript"), pcm);
              });
              return null;
            }))))
        .onComplete(ctx.succeedingThenComplete());
  }
}
