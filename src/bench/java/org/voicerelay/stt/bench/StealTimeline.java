package org.voicerelay.stt.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;

/**
 * What the hypervisor took from this virtual machine, 100 ms at a time, set against the bench
 * gateway's late frames in the same wall-clock windows.
 *
 * <p>A thread reads the steal counter of {@code /proc/stat} (10 ms ticks, both virtual CPUs) every
 * 10 ms during the measured window. {@link #report} then splits the gateway's 100 ms windows into
 * those with no steal in them or in the 200 ms before (a backlog outlives the theft that made it)
 * and the others, and gives the share of frames over 10 ms in each: a p99 under 10 ms means a share
 * under 1 %. It tells whether a tail is this machine's neighbours or the code's.
 */
final class StealTimeline {

  private static final int MAX_SAMPLES = 100_000;

  private final long[] atMicros = new long[MAX_SAMPLES];
  private final long[] stealTicks = new long[MAX_SAMPLES];
  private volatile int count;
  private volatile boolean running;
  private Thread thread;

  void start() {
    running = true;
    thread = new Thread(() -> {
      while (running && count < MAX_SAMPLES) {
        long steal = MachineCpu.stealTicks();
        if (steal < 0) {
          return;
        }
        atMicros[count] = BenchGatewayMain.nowMicros();
        stealTicks[count] = steal;
        count++;
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "bench-steal");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.join();
    }
  }

  /**
   * One line: frames over 10 ms in the windows without steal and in the others.
   *
   * @param timeline the bench gateway's {@code {"originMicros", "frames", "slow"}}
   */
  String report(JsonObject timeline) {
    if (count < 2) {
      return "no /proc/stat here";
    }
    long origin = timeline.getLong("originMicros");
    JsonArray frames = timeline.getJsonArray("frames");
    JsonArray slow = timeline.getJsonArray("slow");
    // only the windows the samples cover: the measured window
    int windows = (int) Math.min(frames.size(), (atMicros[count - 1] - origin) / 100_000);
    long[] stolen = new long[Math.max(0, windows)];
    for (int b = 0; b < Math.max(0, windows); b++) {
      long from = origin + b * 100_000L;
      stolen[b] = stealAt(from + 100_000) - stealAt(from);
    }
    long[] clean = new long[3];
    long[] dirty = new long[3];
    int first = 2;
    while (first < windows && origin + (first - 2) * 100_000L < atMicros[0]) {
      first++;
    }
    for (int b = first; b < windows; b++) {
      long[] into = stolen[b] == 0 && stolen[b - 1] == 0 && stolen[b - 2] == 0 ? clean : dirty;
      into[0]++;
      into[1] += frames.getLong(b);
      into[2] += slow.getLong(b);
    }
    return String.format(Locale.ROOT,
        "%d windows of 100 ms with no steal in them or the 200 ms before: %.2f %% of their %d frames over 10 ms; "
            + "%d windows with steal: %.2f %% of %d",
        clean[0], share(clean), clean[1], dirty[0], share(dirty), dirty[1]);
  }

  private static double share(long[] windows) {
    return windows[1] == 0 ? 0 : 100.0 * windows[2] / windows[1];
  }

  /** The steal counter at {@code micros}, from the sample at or before it. */
  private long stealAt(long micros) {
    int at = Arrays.binarySearch(atMicros, 0, count, micros);
    return stealTicks[Math.max(0, at >= 0 ? at : -at - 2)];
  }
}
