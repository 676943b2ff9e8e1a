package org.voicerelay.stt.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.MessageWrite;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.tracing.VertxTracer;
import java.util.function.Function;

/**
 * The only place the project uses Vert.x internals: savings on the audio path that the public API
 * does not offer, and the cluster manager of a clustered Vert.x built elsewhere.
 * {@code VertxInternalsTest} exercises the audio path against a real socket and
 * {@code ClusterViewTest} the cluster manager, so a Vert.x upgrade that moves them fails a test
 * instead of silently losing the saving or the cluster view.
 *
 * <ul>
 *   <li>{@link #textFrame(byte[])}: a text frame around UTF-8 bytes without a {@code String} in
 *       between. {@code WebSocketFrame.textFrame} takes a String (one copy of the frame) that
 *       Vert.x encodes back to bytes (a second); at 2000 sessions that was 40 000 extra arrays a
 *       second and a quarter of the process's CPU in GC. Uses {@code WebSocketFrameImpl}'s
 *       {@code (type, byte[], final)} constructor, which wraps the array.
 *   <li>{@link #encodedFrames(WebSocket)}: whole frames encoded by the client
 *       (the client's {@code MaskedAudioFrame}) written through the socket's Vert.x connection, in order with
 *       the frames Vert.x writes and under its write-queue accounting, past Netty's frame encoder,
 *       which passes bytes through. Saves an array, a buffer and the encoder's masking loop per
 *       audio frame.
 *   <li>{@link #coalesceFlushes(WebSocket)}: one {@code write(2)} per batch of frames instead of
 *       one per frame ({@link FlushCoalescer}), through {@code WebSocketInternal}'s Netty
 *       pipeline. At 2000 sessions half of the event loop's time was {@code write(2)}.
 *   <li>{@link #byteBuf(Buffer)}: the Netty buffer under a {@code Buffer}, so the gateway reads a
 *       client frame's bytes without a copy.
 *   <li>{@link #bytesOf(Buffer)}: the Netty buffer under a written {@code Buffer} as it is, so the
 *       audio is copied once, straight into a pooled chunk (the client's {@code AudioOutbox}), with
 *       no view allocated per 20 ms write ({@code BufferImpl.byteBuf()}).
 *   <li>{@link #tracer(Vertx)} and {@link #onFreshContext(Vertx, Function)}: the tracer of Vert.x's
 *       tracing SPI, which {@code Vertx} does not show, and a context with no active span of the
 *       caller's, on which the library's {@code tracing} starts a span under the parent it chooses.
 *       {@code StreamTracingTest} and {@code SessionTracingTest} exercise both.
 *   <li>{@link #onContext(Context)}: whether the caller runs on a context or a duplicate of it (a
 *       periodic timer's handler runs on one in Vert.x 5), so a write from the stream's own event
 *       loop needs no promise and no dispatch.
 * </ul>
 */
public final class VertxInternals {

  public static final String COALESCER_NAME = "stt-flush-coalescer";

  private VertxInternals() {
  }

  /** A final text frame whose payload is {@code utf8}, not copied. */
  public static WebSocketFrame textFrame(byte[] utf8) {
    return new WebSocketFrameImpl(WebSocketFrameType.TEXT, utf8, true);
  }


  /** Writes whole encoded WebSocket frames to one socket; owns each frame it is given. */
  public interface EncodedFrames {
    void write(ByteBuf frame);
  }

  /**
   * A writer of whole encoded frames to {@code ws}, or null when {@code ws} is not a Vert.x
   * internal socket (the caller then writes {@link WebSocketFrame}s). Like {@code writeFrame},
   * it writes nothing once the socket is closed. A frame that never reaches Netty (the socket
   * closed, or the connection closed with it queued) is released here; Netty releases the others.
   */
  public static EncodedFrames encodedFrames(WebSocket ws) {
    if (!(ws instanceof WebSocketInternal internal)
        || !(internal.channelHandlerContext().handler() instanceof VertxHandler<?> handler)) {
      return null;
    }
    VertxConnection connection = handler.getConnection();
    return frame -> {
      if (ws.isClosed()) { // as writeFrame: nothing after a close frame
        frame.release();
      } else {
        connection.writeToChannel(new FrameWrite(connection, frame));
      }
    };
  }

  /** One frame in Vert.x's outbound queue: written in turn, or released if the queue is dropped. */
  private record FrameWrite(VertxConnection connection, ByteBuf frame) implements MessageWrite {
    @Override
    public void write() {
      connection.write(frame, false, connection.voidPromise);
    }

    @Override
    public void cancel(Throwable cause) {
      frame.release();
    }
  }

  /**
   * Installs the flush coalescer on the socket's pipeline once.
   *
   * @return the batch that turns the flushes of its writes into one, or {@link FlushBatch#NONE} if
   *     the socket is not a Vert.x internal one (nothing changed)
   */
  public static FlushBatch coalesceFlushes(WebSocket ws) {
    if (!(ws instanceof WebSocketInternal internal)) {
      return FlushBatch.NONE;
    }
    ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
    FlushCoalescer coalescer = pipeline.get(FlushCoalescer.class);
    if (coalescer == null) {
      coalescer = new FlushCoalescer();
      pipeline.addFirst(COALESCER_NAME, coalescer);
    }
    return coalescer;
  }

  /** The readable bytes of {@code buffer} as a Netty buffer (a view, not a copy; not retained). */
  public static ByteBuf byteBuf(Buffer buffer) {
    return ((BufferInternal) buffer).getByteBuf();
  }

  /**
   * The Netty buffer that holds {@code buffer}'s bytes, not a copy and, for Vert.x's own buffers,
   * not a new view either: {@link #byteBuf} allocates a view (and, around a slice, a wrapper)
   * every call, which for a client fed 20 ms writes was an object or two per write of every
   * stream. The buffer's bytes are the result's readable bytes ({@code buffer.length()} of them
   * from its reader index, as {@link #byteBuf}'s view has them). The caller reads them only: it
   * must not move the indexes, write to it or release it.
   */
  public static ByteBuf bytesOf(Buffer buffer) {
    if (buffer instanceof BufferImpl impl) {
      return impl.byteBuf();
    }
    return buffer instanceof BufferInternal ? byteBuf(buffer) : io.netty.buffer.Unpooled.wrappedBuffer(buffer.getBytes());
  }

  /** Whether the calling thread runs {@code context} or a duplicate of it. */
  public static boolean onContext(Context context) {
    ContextInternal current = ContextInternal.current();
    return current != null && current.unwrap() == ((ContextInternal) context).unwrap();
  }

  /**
   * Runs {@code action} now if the calling thread runs {@code context} (or a duplicate of it),
   * else on {@code context}: the one rule of the library's objects that are confined to a context.
   */
  public static void runOn(Context context, Runnable action) {
    if (onContext(context)) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** The cluster manager of a clustered Vert.x (null when it is not clustered). */
  public static ClusterManager clusterManager(Vertx vertx) {
    return ((VertxInternal) vertx).clusterManager();
  }

  /** Vert.x's tracer; null when tracing is off. */
  public static VertxTracer<?, ?> tracer(Vertx vertx) {
    return ((VertxInternal) vertx).tracer();
  }

  /**
   * {@code action}'s result, computed now on this thread with a fresh duplicate of {@code vertx}'s
   * context as the current context: its locals (a tracer's active span) are none of the caller's,
   * and what it sets there is dropped with it.
   */
  public static <T> T onFreshContext(Vertx vertx, Function<Context, T> action) {
    ContextInternal fresh = ((ContextInternal) vertx.getOrCreateContext()).unwrap().duplicate();
    ContextInternal previous = fresh.beginDispatch();
    try {
      return action.apply(fresh);
    } finally {
      fresh.endDispatch(previous);
    }
  }
}
