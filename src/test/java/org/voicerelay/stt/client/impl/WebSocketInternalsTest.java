package org.voicerelay.stt.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Vert.x internals the client relies on, on a real socket. If a Vert.x upgrade moves
 * {@code WebSocketInternal}, its Netty pipeline or {@code WebSocketFrameImpl}, this fails (or
 * does not compile) instead of the client silently losing the savings.
 */
@ExtendWith(VertxExtension.class)
class WebSocketInternalsTest {

  /** Held: a client nobody refers to may be collected, closing its connections. */
  private io.vertx.core.http.WebSocketClient client;

  @Test
  void aClientSocketTakesTheFlushCoalescerOnceAndAPrebuiltTextFrameArrivesAsText(Vertx vertx,
      VertxTestContext ctx) {
    List<String> received = new CopyOnWriteArrayList<>();
    client = vertx.createWebSocketClient();
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.toWebSocket().onSuccess(ws -> ws.textMessageHandler(text -> {
          received.add(text);
          if (received.size() == 2) {
            ctx.verify(() -> {
              assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), received);
              ctx.completeNow();
            });
          }
        })))
        .listen()
        .compose(server -> client.connect(new WebSocketConnectOptions()
            .setHost("127.0.0.1").setPort(server.actualPort()).setURI("/")))
        .onComplete(ctx.succeeding(ws -> ctx.verify(() -> {
          assertTrue(WebSocketInternals.coalesceFlushes(ws), "a Vert.x client socket is a WebSocketInternal");
          assertTrue(WebSocketInternals.coalesceFlushes(ws), "installing again is harmless");
          ChannelPipeline pipeline = ((WebSocketInternal) ws).channelHandlerContext().pipeline();
          assertNotNull(pipeline.get(WebSocketInternals.COALESCER_NAME));
          assertEquals(1, pipeline.names().stream().filter(WebSocketInternals.COALESCER_NAME::equals).count());
          ws.writeFrame(WebSocketInternals.textFrame("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
          ws.writeFrame(WebSocketInternals.textFrame("{\"b\":2}".getBytes(StandardCharsets.UTF_8)));
        })));
  }
}
