package org.voicerelay.stt.client.impl;

import io.vertx.core.Handler;
import java.util.ArrayDeque;

/**
 * The read side of a stream: delivers events to the handler honouring pause/resume/fetch, and
 * the end signal only after every queued event (or at once when nobody reads events). Events are
 * held while paused, without bound: they are small and few (a handful per second), and dropping
 * transcripts would lose words. Confined to one context; no locking.
 */
final class EventQueue<T> {

  static final int UNHANDLED_LIMIT = 256;

  private final ArrayDeque<T> pending = new ArrayDeque<>();
  private Handler<T> handler;
  private Handler<Void> endHandler;
  private long demand = Long.MAX_VALUE;
  private boolean ended;
  private boolean endDelivered;
  private boolean delivering;

  void handler(Handler<T> handler) {
    this.handler = handler;
    drain();
  }

  void endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    drain();
  }

  void pause() {
    demand = 0;
  }

  void resume() {
    demand = Long.MAX_VALUE;
    drain();
  }

  void fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("fetch amount must be >= 0, got " + amount);
    }
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    drain();
  }

  /**
   * Queues an event. Until a handler is set, at most {@link #UNHANDLED_LIMIT} events wait (the
   * oldest go first), so a handler set a moment after the stream opened misses nothing and a
   * stream nobody reads does not grow without bound.
   */
  void add(T event) {
    if (ended) {
      return;
    }
    if (handler == null && pending.size() >= UNHANDLED_LIMIT) {
      pending.poll();
    }
    pending.add(event);
    drain();
  }

  void end() {
    ended = true;
    drain();
  }

  private void drain() {
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      while (demand > 0 && !pending.isEmpty() && handler != null) {
        T next = pending.poll();
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(next);
      }
      if (ended && (pending.isEmpty() || handler == null) && !endDelivered && endHandler != null) {
        pending.clear();
        endDelivered = true;
        endHandler.handle(null);
      }
    } finally {
      delivering = false;
    }
  }
}
