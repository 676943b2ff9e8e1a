package org.voicerelay.stt.client.impl;

import io.vertx.core.Handler;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The {@code WriteStream} side of a stream's back-pressure: whether more than
 * {@code writeQueueMaxSize} bytes wait (those in the outbox plus writes still on their way to the
 * stream's context, counted at once so the queue is full right after the write that filled it),
 * and the drain handler, called on the context once the queue is down to half after it was full.
 * {@link #full()}, {@link #maxSize} and {@link #drainHandler} are safe from any thread.
 */
final class WriteQueue {

  private final LongSupplier queuedBytes;
  private final AtomicLong inTransit = new AtomicLong();
  private volatile int maxSize;
  private volatile boolean wasFull;
  private volatile Handler<Void> drainHandler;

  WriteQueue(int maxSize, LongSupplier queuedBytes) {
    this.maxSize = maxSize;
    this.queuedBytes = queuedBytes;
  }

  boolean full() {
    return queuedBytes.getAsLong() + inTransit.get() >= maxSize;
  }

  void maxSize(int maxSize) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("writeQueueMaxSize must be >= 1, got " + maxSize);
    }
    this.maxSize = maxSize;
  }

  void drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
  }

  /** A caller wrote {@code length} bytes; they reach the context later. Any thread. */
  void written(int length) {
    inTransit.addAndGet(length);
    if (full()) {
      wasFull = true;
    }
  }

  /** A write reached the context, before it is taken or refused. */
  void arrived(int length) {
    inTransit.addAndGet(-length);
  }

  /** After audio was queued on the context. */
  void queued() {
    if (full()) {
      wasFull = true;
    }
  }

  /** On the context: calls the drain handler when the queue went down to half; kept pending until there is one. */
  void checkDrain() {
    Handler<Void> h = drainHandler;
    if (h != null && wasFull && queuedBytes.getAsLong() + inTransit.get() <= maxSize / 2) {
      wasFull = false;
      h.handle(null);
    }
  }
}
