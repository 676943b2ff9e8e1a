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
  private final long origin = BenchGatewayMain.nowMicros() / 100_000;
  private final String name;

  LagTimeline(String name) {
    this.name = name;
  }

  void start(Vertx vertx) {
    vertx.runOnContext(v -> {
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
  void startThread() {
    Thread watchdog = new Thread(() -> {
      long last = System.nanoTime();
      while (true) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        long now = System.nanoTime();
        long lag = now - last - 1_000_000;
        last = now;
        int b = (int) (BenchGatewayMain.nowMicros() / 100_000 - origin);
        if (b >= 0 && b < BUCKETS && lag > worst[b]) {
          worst[b] = lag;
        }
      }
    }, name + "-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  synchronized void print(long fromWallMicros) {
    StringBuilder out = new StringBuilder(name + " event-loop lag over 5 ms (100 ms buckets, wall-clock s):");
    for (int b = 0; b < BUCKETS; b++) {
      if (worst[b] > 5_000_000 && (origin + b) * 100_000 >= fromWallMicros) {
        out.append(String.format("%n  wall=%.1f lag=%.1fms", ((origin + b) % 100_000) / 10.0, worst[b] / 1e6));
      }
    }
    System.err.println(out);
  }
}
