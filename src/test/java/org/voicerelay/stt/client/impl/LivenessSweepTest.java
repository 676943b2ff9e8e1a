package org.voicerelay.stt.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.client.ConnectOptions;

/** The connections of one event-loop context share one liveness timer, which runs only while one is watched. */
@ExtendWith(VertxExtension.class)
class LivenessSweepTest {

  private static final ConnectOptions FAST = new ConnectOptions().setPingIntervalMs(100).setHealthyAfterMs(300)
      .setLivenessTimeoutMs(60_000);

  /** Held: a client nobody refers to may be collected, closing its connections. */
  private WebSocketClient client;

  /** Two sockets to a local server that answers pings (as Vert.x does) and says nothing else. */
  private Future<WebSocket[]> twoSockets(Vertx vertx) {
    return twoSockets(vertx, false);
  }

  /** Two sockets to a local server; a silent one stops reading, so it answers no ping either. */
  private Future<WebSocket[]> twoSockets(Vertx vertx, boolean silent) {
    // a peer that reads nothing answers no close frame either: do not wait 10 s for it at the end
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setClosingTimeout(1));
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.toWebSocket().onSuccess(ws -> {
          if (silent) {
            ws.pause();
          }
        }))
        .listen()
        .compose(server -> {
          WebSocketConnectOptions to = new WebSocketConnectOptions().setHost("127.0.0.1")
              .setPort(server.actualPort()).setURI("/");
          return Future.all(client.connect(to), client.connect(to))
              .map(all -> new WebSocket[] {all.resultAt(0), all.resultAt(1)});
        });
  }

  @Test
  void twoConnectionsOnOneContextAreCheckedByOneSweepThatStopsWhenTheLastLeaves(Vertx vertx, VertxTestContext ctx) {
    Context context = vertx.getOrCreateContext();
    AtomicInteger proven = new AtomicInteger();
    context.runOnContext(v -> twoSockets(vertx).onComplete(ctx.succeeding(sockets -> {
      ConnectionLiveness a = ConnectionLiveness.watch(vertx, sockets[0], FAST, () -> ctx.failNow("declared dead"), proven::incrementAndGet, () -> { });
      ConnectionLiveness b = ConnectionLiveness.watch(vertx, sockets[1], FAST, () -> ctx.failNow("declared dead"), proven::incrementAndGet, () -> { });
      LivenessSweep sweep = LivenessSweep.of(vertx, vertx.getOrCreateContext(), ConnectionLiveness.checkPeriodMs(FAST));
      ctx.verify(() -> {
        assertEquals(2, sweep.watching());
        assertTrue(sweep.running());
      });
      vertx.setTimer(800, t -> ctx.verify(() -> {
        // both proved themselves through the shared checks (pings answered, 300 ms up)
        assertEquals(2, proven.get());
        assertSame(sweep, LivenessSweep.of(vertx, vertx.getOrCreateContext(), ConnectionLiveness.checkPeriodMs(FAST)));
        a.stop();
        assertTrue(sweep.running());
        b.stop();
        assertEquals(0, sweep.watching());
        assertFalse(sweep.running());
        ctx.completeNow();
      }));
    })));
  }

  @Test
  void twoSilentConnectionsOnOneSweepAreBothDeclaredDeadAndLeaveIt(Vertx vertx, VertxTestContext ctx) {
    ConnectOptions silentFast = new ConnectOptions().setPingIntervalMs(100).setHealthyAfterMs(60_000)
        .setLivenessTimeoutMs(400);
    AtomicInteger dead = new AtomicInteger();
    vertx.getOrCreateContext().runOnContext(v -> twoSockets(vertx, true).onComplete(ctx.succeeding(sockets -> {
      LivenessSweep sweep = LivenessSweep.of(vertx, vertx.getOrCreateContext(), ConnectionLiveness.checkPeriodMs(FAST));
      Runnable onDead = () -> {
        if (dead.incrementAndGet() == 2) {
          ctx.verify(() -> {
            assertEquals(0, sweep.watching());
            assertFalse(sweep.running());
          });
          ctx.completeNow();
        }
      };
      ConnectionLiveness.watch(vertx, sockets[0], silentFast, onDead, () -> ctx.failNow("proven"), () -> { });
      ConnectionLiveness.watch(vertx, sockets[1], silentFast, onDead, () -> ctx.failNow("proven"), () -> { });
      ctx.verify(() -> assertEquals(2, sweep.watching()));
    })));
  }
}
