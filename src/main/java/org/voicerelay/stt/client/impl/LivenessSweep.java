package org.voicerelay.stt.client.impl;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The liveness checks of every connection watched on one event-loop context, run by one periodic
 * timer. Why: a timer per connection fires at that connection's own moment, so each one wakes the
 * event loop on its own; at 1000 streams that was 500 more wake-ups a second, each a trip through
 * the kernel's {@code epoll_wait} and Netty's loop, which cost more than the checks themselves.
 * One sweep checks them all in one wake-up. A connection is checked at the sweep's pace, so it is
 * proven or found dead up to one period later than its own timer would have said.
 *
 * <p>Kept in the context's data (shared by its duplicates), one per check period; confined to the
 * context's event loop. The timer runs only while a connection is watched. A worker context
 * shares none: each of its connections has a sweep of one.
 */
final class LivenessSweep {

  private static final String KEY = LivenessSweep.class.getName() + ".";

  private final Vertx vertx;
  private final long periodMs;
  private final Set<ConnectionLiveness> watched = new LinkedHashSet<>();
  private long timerId = -1;

  private LivenessSweep(Vertx vertx, long periodMs) {
    this.vertx = vertx;
    this.periodMs = periodMs;
  }

  /**
   * The sweep for a connection watched on {@code context} with checks every {@code periodMs}: on an
   * event-loop context the one it shares with the other connections there (kept in the context's
   * data, made on first use); on a worker context, whose duplicates may run at the same time, one
   * of its own.
   */
  static LivenessSweep of(Vertx vertx, Context context, long periodMs) {
    if (!context.isEventLoopContext()) {
      return new LivenessSweep(vertx, periodMs);
    }
    String key = KEY + periodMs;
    LivenessSweep sweep = context.get(key);
    if (sweep == null) {
      sweep = new LivenessSweep(vertx, periodMs);
      context.put(key, sweep);
    }
    return sweep;
  }

  void add(ConnectionLiveness liveness) {
    if (watched.add(liveness) && timerId == -1) {
      timerId = vertx.setPeriodic(periodMs, t -> checkAll());
    }
  }

  void remove(ConnectionLiveness liveness) {
    if (watched.remove(liveness) && watched.isEmpty() && timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  /** How many connections it watches (for tests). */
  int watching() {
    return watched.size();
  }

  /** Whether its timer is set (for tests). */
  boolean running() {
    return timerId != -1;
  }

  private void checkAll() {
    // a check may end its connection (and so leave the set) or, through a reconnect, add another
    for (ConnectionLiveness liveness : watched.toArray(new ConnectionLiveness[0])) {
      liveness.check();
    }
  }
}
