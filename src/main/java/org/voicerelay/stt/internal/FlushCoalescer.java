package org.voicerelay.stt.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Turns the flushes of one batch of writes into one system call. A 100 ms chunk from the bus is
 * two frames, each flushed by Vert.x at once; at 2000 sessions half of the event loop's time was
 * {@code write(2)}. While a batch is open ({@link #batch(Runnable)} on the channel's event loop),
 * a flush is only noted; closing the batch flushes once. Outside a batch a flush goes through at
 * once.
 *
 * <p>Why a batch rather than a flush deferred to a later task of the loop (this class's first
 * form): a deferred flush waits behind every task queued before it, so when a late sender hands
 * the loop a burst of chunks, every chunk of the burst left with the last one, which doubled the
 * bus path's latency tail against a relay that flushes each write. Netty's
 * {@code FlushConsolidationHandler} was tried before that; it tracks whether a read is in
 * progress, and when it is added in the middle of the upgrade's read it could hold back every
 * flush until the gateway sent something, which stalled a quiet stream. Closing flushes first, so
 * nothing written before a close is dropped.
 */
final class FlushCoalescer extends ChannelOutboundHandlerAdapter implements FlushBatch {

  private ChannelHandlerContext ctx;
  private boolean batching;
  private boolean flushNoted;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void batch(Runnable writes) {
    if (batching || ctx == null || !ctx.executor().inEventLoop()) {
      writes.run();
      return;
    }
    batching = true;
    try {
      writes.run();
    } finally {
      batching = false;
      if (flushNoted) {
        flushNoted = false;
        ctx.flush();
      }
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (batching) {
      flushNoted = true;
    } else {
      ctx.flush();
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    flushNoted = false;
    ctx.flush();
    ctx.close(promise);
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
    flushNoted = false;
    ctx.flush();
    ctx.disconnect(promise);
  }
}
