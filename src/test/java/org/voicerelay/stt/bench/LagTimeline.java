package org.voicerelay.stt.bench;

import io.vertx.core.Vertx;

/**
 * Diagnostic: how late a 1 ms periodic timer fires on one event loop, per 100 ms of wall-clock
 * time, so that stalls of the verticle's and the gateway's event loops can be laid side by side
 * with the latency timeline (both print wall-clock seconds).
 */
final class LagTimeline {
  private static final int BUCKETS = 3000;
  private final long[] worst = new long[BUCKETS];
  /** The most tasks waiting in the event loop's queue, seen by the watchdog, per bucket. */
  private final int[] pending = new int[BUCKETS];
  /** Time the busiest event-loop thread of this JVM spent runnable but not running (Linux schedstat), per bucket. */
  private final long[] runQueueWait = new long[BUCKETS];
  private volatile io.netty.util.concurrent.SingleThreadEventExecutor loop;
  private final long origin = BenchGatewayMain.nowMicros() / 100_000;
  private final String name;
  private LagTimeline watched;

  LagTimeline(String name) {
    this.name = name;
  }

  void start(Vertx vertx) {
    vertx.runOnContext(v -> {
      if (((io.vertx.core.internal.ContextInternal) vertx.getOrCreateContext()).nettyEventLoop()
          instanceof io.netty.util.concurrent.SingleThreadEventExecutor executor) {
        loop = executor;
      }
      long[] last = {System.nanoTime()};
      vertx.setPeriodic(1, id -> {
        long now = System.nanoTime();
        long lag = now - last[0] - 1_000_000;
        last[0] = now;
        int b = (int) (BenchGatewayMain.nowMicros() / 100_000 - origin);
        if (b >= 0 && b < BUCKETS && lag > worst[b]) {
          worst[b] = lag;
        }
      });
    });
  }

  /**
   * The same on a plain thread that sleeps 1 ms at a time: late with the event loop, the whole
   * process waited (for a core, a safepoint); on time while the event loop lags, the loop was busy.
   */
  void startThread(LagTimeline watched) {
    this.watched = watched;
    Thread watchdog = new Thread(() -> {
      long last = System.nanoTime();
      java.nio.file.Path schedstat = null;
      long lastWait = -1;
      long pickAt = System.nanoTime() + 20_000_000_000L;
      while (true) {
        if (schedstat == null && System.nanoTime() > pickAt) {
          schedstat = busiestEventLoopSchedstat();
          pickAt = Long.MAX_VALUE;
        }
        if (schedstat != null) {
          long wait = waitNanos(schedstat);
          int b = (int) (BenchGatewayMain.nowMicros() / 100_000 - origin);
          if (lastWait >= 0 && wait >= lastWait && b >= 0 && b < BUCKETS) {
            runQueueWait[b] += wait - lastWait;
          }
          lastWait = wait;
        }
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        long now = System.nanoTime();
        long lag = now - last - 1_000_000;
        last = now;
        int b = (int) (BenchGatewayMain.nowMicros() / 100_000 - origin);
        if (b >= 0 && b < BUCKETS && lag > worst[b]) {
          worst[b] = lag;
        }
        if (b >= 0 && b < BUCKETS && watched != null && watched.loop != null) {
          pending[b] = Math.max(pending[b], watched.loop.pendingTasks());
        }
      }
    }, name + "-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static java.nio.file.Path busiestEventLoopSchedstat() {
    java.nio.file.Path best = null;
    long bestRun = -1;
    try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
      for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
        try {
          if (!java.nio.file.Files.readString(task.resolve("comm")).startsWith("vert.x-eventloo")) {
            continue;
          }
          long run = Long.parseLong(java.nio.file.Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
          if (run > bestRun) {
            bestRun = run;
            best = task.resolve("schedstat");
          }
        } catch (java.io.IOException | RuntimeException e) {
          // a thread that ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      return null; // not Linux
    }
    return best;
  }

  private static long waitNanos(java.nio.file.Path schedstat) {
    try {
      return Long.parseLong(java.nio.file.Files.readString(schedstat).trim().split(" ")[1]);
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  synchronized void print(long fromWallMicros) {
    StringBuilder out = new StringBuilder(name + (watched == null ? " event-loop" : "") + " lag over 5 ms"
        + (watched == null ? "" : " or over 200 tasks queued on the verticle's event loop") + " (100 ms buckets, wall-clock s):");
    for (int b = 0; b < BUCKETS; b++) {
      boolean queued = watched != null && (pending[b] > 200 || runQueueWait[b] > 10_000_000);
      if ((worst[b] > 5_000_000 || queued) && (origin + b) * 100_000 >= fromWallMicros) {
        out.append(String.format("%n  wall=%.1f lag=%.1fms", ((origin + b) % 100_000) / 10.0, worst[b] / 1e6));
        if (watched != null) {
          out.append(" (the watched event loop's queue: up to ").append(pending[b]).append(" tasks; the busiest")
              .append(" event loop waited ").append(String.format("%.1f", runQueueWait[b] / 1e6)).append(" ms for a core)");
        }
      }
    }
    System.err.println(out);
  }
}
