package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.fault.FaultProxy;

/** The gateway's side of liveness: it answers pings, and it lets go of clients that went silent. */
@ExtendWith(VertxExtension.class)
class LocalGatewayLivenessTest {

  @Test
  void thePingOfAClientIsAnsweredWithAPongCarryingItsPayload(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.deployCountingGateway(vertx)
        .compose(port -> vertx.createWebSocketClient().connect(new WebSocketConnectOptions()
            .setHost("127.0.0.1").setPort(port).setURI(LocalGatewayVerticle.V1_PATH)
            .addHeader("Authorization", "Bearer " + GatewayTestSocket.validToken(vertx))))
        .compose(ws -> {
          Promise<Buffer> pong = Promise.promise();
          ws.pongHandler(pong::tryComplete);
          return ws.writePing(Buffer.buffer("are you there")).compose(v -> pong.future());
        })
        .onComplete(ctx.succeeding(pong -> ctx.verify(() -> {
          assertEquals("are you there", pong.toString());
          ctx.completeNow();
        })));
  }

  @Test
  void aClientThatGoesSilentIsLetGoAfterTheLivenessTimeoutAndFreesItsPlace(Vertx vertx, VertxTestContext ctx) {
    LocalGatewayOptions options = GatewayTestSocket.countingOptions().setMaxSessions(1)
        .setPingInterval(200).setLivenessTimeout(1_000);
    LocalGatewayVerticle gateway = new LocalGatewayVerticle(options);
    long[] silentAt = new long[1];
    vertx.deployVerticle(gateway)
        .compose(id -> FaultProxy.start(vertx, gateway.actualPort()))
        .compose(proxy -> GatewayTestSocket.session(vertx, proxy.port()).map(first -> {
          proxy.silenceAll();
          silentAt[0] = System.nanoTime();
          return first;
        }))
        .compose(first -> delay(vertx, 300))
        .compose(v -> GatewayTestSocket.connect(vertx, gateway.actualPort()))
        .compose(second -> second.next())
        .compose(refused -> {
          ctx.verify(() -> assertEquals(GatewayErrorCode.TOO_MANY_SESSIONS, refused.getInteger("code"),
              "the silent client still holds the only place before its liveness timeout: " + refused.encode()));
          return delay(vertx, 1_500);
        })
        .compose(v -> GatewayTestSocket.session(vertx, gateway.actualPort()))
        .onComplete(ctx.succeeding(third -> ctx.verify(() -> {
          long afterMs = (System.nanoTime() - silentAt[0]) / 1_000_000;
          assertTrue(afterMs >= 1_000, "a session was created " + afterMs + " ms after the silence");
          ctx.completeNow();
        })));
  }

  @Test
  void anIdleClientThatAnswersPingsIsClosedForInactivityNotForSilence(Vertx vertx, VertxTestContext ctx) {
    long started = System.nanoTime();
    GatewayTestSocket.deployGateway(vertx, GatewayTestSocket.countingOptions().setPingInterval(100)
            .setLivenessTimeout(400).setIdleTimeout(1_500))
        .compose(port -> GatewayTestSocket.session(vertx, port))
        .compose(s -> s.next().compose(error -> {
          ctx.verify(() -> assertEquals(GatewayErrorCode.INACTIVE_SESSION, error.getInteger("code"), error.encode()));
          return s.closed();
        }))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          long elapsedMs = (System.nanoTime() - started) / 1_000_000;
          assertTrue(elapsedMs >= 1_500, "its pongs kept it alive past the liveness timeout: closed after "
              + elapsedMs + " ms");
          ctx.completeNow();
        })));
  }

  private static Future<Void> delay(Vertx vertx, long millis) {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(millis, t -> done.complete());
    return done.future();
  }
}
