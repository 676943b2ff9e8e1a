package org.voicerelay.stt.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.internal.FlushBatch;
import org.voicerelay.stt.internal.VertxInternals;
import org.voicerelay.stt.protocol.ProtocolCodec;

/**
 * The Vert.x internals the client relies on, on a real socket. If a Vert.x upgrade moves
 * {@code WebSocketInternal}, its Netty pipeline or {@code WebSocketFrameImpl}, this fails (or
 * does not compile) instead of the client silently losing the savings.
 */
@ExtendWith(VertxExtension.class)
class VertxInternalsTest {

  /** Held: a client nobody refers to may be collected, closing its connections. */
  private io.vertx.core.http.WebSocketClient client;

  /** A local server whose sockets add every text message to {@code received}, and a client socket to it. */
  private Future<WebSocket> connectToServer(Vertx vertx, List<String> received, Runnable onMessage) {
    client = vertx.createWebSocketClient();
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.toWebSocket().onSuccess(ws -> ws.textMessageHandler(text -> {
          received.add(text);
          onMessage.run();
        })))
        .listen()
        .compose(server -> client.connect(new WebSocketConnectOptions()
            .setHost("127.0.0.1").setPort(server.actualPort()).setURI("/")));
  }

  @Test
  void aClientSocketTakesTheFlushCoalescerOnceAndAPrebuiltTextFrameArrivesAsText(Vertx vertx,
      VertxTestContext ctx) {
    List<String> received = new CopyOnWriteArrayList<>();
    connectToServer(vertx, received, () -> {
      if (received.size() == 2) {
        ctx.verify(() -> {
          assertEquals(List.of("{\"a\":1}", "{\"b\":2}"), received);
          ctx.completeNow();
        });
      }
    })
        .onComplete(ctx.succeeding(ws -> ctx.verify(() -> {
          FlushBatch batch = VertxInternals.coalesceFlushes(ws);
          assertNotSame(FlushBatch.NONE, batch, "a Vert.x client socket is a WebSocketInternal");
          assertSame(batch, VertxInternals.coalesceFlushes(ws), "installing again is harmless");
          ChannelPipeline pipeline = ((WebSocketInternal) ws).channelHandlerContext().pipeline();
          assertNotNull(pipeline.get(VertxInternals.COALESCER_NAME));
          assertEquals(1, pipeline.names().stream().filter(VertxInternals.COALESCER_NAME::equals).count());
          ws.writeFrame(VertxInternals.textFrame("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
          ws.writeFrame(VertxInternals.textFrame("{\"b\":2}".getBytes(StandardCharsets.UTF_8)));
        })));
  }

  @Test
  void theFramesOfABatchLeaveWithOneFlushAndAFrameOutsideABatchLeavesAtOnce(Vertx vertx, VertxTestContext ctx) {
    byte[] pcm = new byte[1600];
    String audio = ProtocolCodec.encodeAudio(pcm, 0, pcm.length);
    List<String> received = new CopyOnWriteArrayList<>();
    AtomicInteger flushes = new AtomicInteger();
    connectToServer(vertx, received, () -> {
      if (received.size() == 3) {
        ctx.verify(() -> {
          assertEquals(List.of(audio, audio, audio), received);
          ctx.completeNow();
        });
      }
    })
        .onComplete(ctx.succeeding(ws -> {
          FlushBatch batch = VertxInternals.coalesceFlushes(ws);
          VertxInternals.EncodedFrames frames = VertxInternals.encodedFrames(ws);
          ChannelPipeline pipeline = ((WebSocketInternal) ws).channelHandlerContext().pipeline();
          pipeline.addFirst("count-flushes", new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext chctx) {
              flushes.incrementAndGet();
              chctx.flush();
            }
          });
          ByteBuf chunk = Unpooled.wrappedBuffer(pcm);
          pipeline.channel().eventLoop().execute(() -> ctx.verify(() -> {
            int before = flushes.get();
            batch.batch(() -> {
              frames.write(MaskedAudioFrame.encode(chunk, 0, pcm.length, 1, PooledByteBufAllocator.DEFAULT));
              frames.write(MaskedAudioFrame.encode(chunk, 0, pcm.length, 2, PooledByteBufAllocator.DEFAULT));
              assertEquals(before, flushes.get(), "nothing is flushed inside the batch");
            });
            assertEquals(before + 1, flushes.get(), "one flush for the batch's two frames");
            frames.write(MaskedAudioFrame.encode(chunk, 0, pcm.length, 3, PooledByteBufAllocator.DEFAULT));
            assertEquals(before + 2, flushes.get(), "outside a batch a frame is flushed as it is written");
          }));
        }));
  }

  @Test
  void encodedAudioFramesArriveInOrderWithTheFramesVertxWrites(Vertx vertx, VertxTestContext ctx) {
    byte[] pcm = new byte[1600];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (byte) (i * 7);
    }
    String audio = ProtocolCodec.encodeAudio(pcm, 0, pcm.length);
    List<String> received = new CopyOnWriteArrayList<>();
    connectToServer(vertx, received, () -> {
      if (received.size() == 3) {
        ctx.verify(() -> {
          assertEquals(List.of(audio, ProtocolCodec.FINALIZE_FRAME, audio), received);
          ctx.completeNow();
        });
      }
    })
        .onComplete(ctx.succeeding(ws -> ctx.verify(() -> {
          VertxInternals.EncodedFrames frames = VertxInternals.encodedFrames(ws);
          assertNotNull(frames, "a Vert.x client socket takes encoded frames");
          ByteBuf chunk = Unpooled.wrappedBuffer(pcm);
          frames.write(MaskedAudioFrame.encode(chunk, 0, pcm.length, 0x1234abcd, PooledByteBufAllocator.DEFAULT));
          ws.writeTextMessage(ProtocolCodec.FINALIZE_FRAME);
          frames.write(MaskedAudioFrame.encode(chunk, 0, pcm.length, 0xcafe0042, PooledByteBufAllocator.DEFAULT));
        })));
  }

  @Test
  void anEncodedFrameWrittenAfterTheSocketClosedIsReleasedNotSent(Vertx vertx, VertxTestContext ctx) {
    List<String> received = new CopyOnWriteArrayList<>();
    connectToServer(vertx, received, () -> { })
        .compose(ws -> {
          VertxInternals.EncodedFrames frames = VertxInternals.encodedFrames(ws);
          return ws.close().map(frames);
        })
        .onComplete(ctx.succeeding(frames -> {
          ByteBuf frame = MaskedAudioFrame.encode(Unpooled.wrappedBuffer(new byte[320]), 0, 320, 7,
              PooledByteBufAllocator.DEFAULT);
          frames.write(frame);
          vertx.setTimer(200, t -> ctx.verify(() -> {
            assertEquals(0, frame.refCnt(), "released");
            assertEquals(List.of(), received);
            ctx.completeNow();
          }));
        }));
  }
}
