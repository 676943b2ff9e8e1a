package org.voicerelay.stt.bench;

import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Diagnostic: per 100 ms of wall-clock time, how late a 1 ms timer fires on one event loop, so
 * that stalls of the verticle's and the gateway's event loops line up with the gateway's latency
 * timeline (all print wall-clock seconds). {@link #startThread} adds a watchdog thread that also
 * reads, every millisecond, how many tasks wait in a watched event loop's queue and how long the
 * JVM's busiest event-loop thread was runnable without a core (Linux {@code schedstat}). The
 * watchdog's own lateness says little: the scheduler serves a thread that slept first.
 */
final class LagTimeline {
  private static final int BUCKETS = 3000;
  private static final long PICK_THREAD_AFTER_NS = 20_000_000_000L;

  private final long origin = BenchGatewayMain.nowMicros() / 100_000;
  private final String name;
  private final long[] worst = new long[BUCKETS];
  private final int[] pending = new int[BUCKETS];
  private final long[] runQueueWait = new long[BUCKETS];
  private volatile SingleThreadEventExecutor loop;
  private LagTimeline watched;

  LagTimeline(String name) {
    this.name = name;
  }

  /** The 1 ms timer on the calling context's event loop (or a new context's). */
  void start(Vertx vertx) {
    vertx.runOnContext(v -> {
      if (((ContextInternal) vertx.getOrCreateContext()).nettyEventLoop() instanceof SingleThreadEventExecutor executor) {
        loop = executor;
      }
      long[] last = {System.nanoTime()};
      vertx.setPeriodic(1, id -> {
        long now = System.nanoTime();
        recordLag(now - last[0] - 1_000_000);
        last[0] = now;
      });
    });
  }

  /** The watchdog thread, reading {@code watched}'s queue and this JVM's busiest event loop. */
  void startThread(LagTimeline watched) {
    this.watched = watched;
    Thread watchdog = new Thread(() -> {
      long started = System.nanoTime();
      long last = started;
      Path schedstat = null;
      long lastWait = -1;
      while (true) {
        if (schedstat == null && System.nanoTime() - started > PICK_THREAD_AFTER_NS) {
          schedstat = busiestEventLoopSchedstat(); // by then the verticle's loop has done the most
        }
        int b = bucket();
        if (schedstat != null) {
          long wait = waitNanos(schedstat);
          if (lastWait >= 0 && wait >= lastWait && b >= 0) {
            runQueueWait[b] += wait - lastWait;
          }
          lastWait = wait;
        }
        if (b >= 0 && watched.loop != null) {
          pending[b] = Math.max(pending[b], watched.loop.pendingTasks());
        }
        LockSupport.parkNanos(1_000_000);
        long now = System.nanoTime();
        recordLag(now - last - 1_000_000);
        last = now;
      }
    }, name + "-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private int bucket() {
    int b = (int) (BenchGatewayMain.nowMicros() / 100_000 - origin);
    return b < BUCKETS ? b : -1;
  }

  private void recordLag(long lagNanos) {
    int b = bucket();
    if (b >= 0 && lagNanos > worst[b]) {
      worst[b] = lagNanos;
    }
  }

  /** The {@code schedstat} file of the event-loop thread that has run the most, or null off Linux. */
  private static Path busiestEventLoopSchedstat() {
    Path best = null;
    long bestRun = -1;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          if (Files.readString(task.resolve("comm")).startsWith("vert.x-eventloo")) {
            long run = Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
            if (run > bestRun) {
              bestRun = run;
              best = task.resolve("schedstat");
            }
          }
        } catch (IOException | RuntimeException e) {
          // a thread that ended meanwhile
        }
      }
    } catch (IOException e) {
      return null;
    }
    return best;
  }

  /** Nanoseconds the thread has waited on a run queue (the second field), or -1. */
  private static long waitNanos(Path schedstat) {
    try {
      return Long.parseLong(Files.readString(schedstat).trim().split(" ")[1]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** To stderr: the buckets since {@code fromWallMicros} with a lag over 5 ms (or, for a watchdog, a queue or a wait). */
  synchronized void print(long fromWallMicros) {
    StringBuilder out = new StringBuilder(name + (watched == null ? " event-loop lag over 5 ms"
        : " lag over 5 ms, or over 200 tasks queued on the watched event loop, or over 10 ms without a core")
        + " (100 ms buckets, wall-clock s):");
    for (int b = 0; b < BUCKETS; b++) {
      boolean queued = watched != null && (pending[b] > 200 || runQueueWait[b] > 10_000_000);
      if ((worst[b] > 5_000_000 || queued) && (origin + b) * 100_000 >= fromWallMicros) {
        out.append(String.format("%n  wall=%.1f lag=%.1fms", ((origin + b) % 100_000) / 10.0, worst[b] / 1e6));
        if (watched != null) {
          out.append(String.format(" (the watched event loop's queue: up to %d tasks; the busiest event loop"
              + " waited %.1f ms for a core)", pending[b], runQueueWait[b] / 1e6));
        }
      }
    }
    System.err.println(out);
  }
}
