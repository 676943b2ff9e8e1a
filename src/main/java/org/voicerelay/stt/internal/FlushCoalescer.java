package org.voicerelay.stt.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Turns the flushes of one event-loop turn into one system call: a flush is deferred to a task
 * that runs right after the current one. A 100 ms chunk from the bus is two frames, each flushed
 * by Vert.x at once; at 2000 sessions half of the event loop's time was {@code write(2)}.
 *
 * <p>Netty's {@code FlushConsolidationHandler} was tried first; it tracks whether a read is in
 * progress, and when it is added to a pipeline in the middle of the upgrade's read it could hold
 * back every flush until the gateway sent something, which stalled a quiet stream. This one keeps
 * no read state: every flush is written out within the same turn of the loop. Closing flushes
 * first, so nothing written before a close is dropped.
 */
final class FlushCoalescer extends ChannelOutboundHandlerAdapter {

  private boolean scheduled;

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (!scheduled) {
      scheduled = true;
      ctx.executor().execute(() -> {
        scheduled = false;
        ctx.flush();
      });
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.flush();
    ctx.close(promise);
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.flush();
    ctx.disconnect(promise);
  }
}
