package org.voicerelay.stt.bench;

import static org.voicerelay.stt.bench.BenchArgs.intArg;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * When a load run's pacing thread starts and in which periods it sends. Alone, a run sends from
 * 200 ms after its sessions are ready and all the time. Interleaved with a second run
 * ({@code --start-at} and {@code --alternate}), both start on the same instant of the machine's
 * clock and take turns in blocks of {@code --block-seconds}: phase 0 sends in the even blocks,
 * phase 1 in the odd ones. The two relays are then measured in the same minutes, so what the
 * neighbours on a shared machine do falls on both alike, while only one of them carries the load
 * at any moment.
 */
final class BlockSchedule {

  /** {@link System#nanoTime()} of tick 0. */
  final long startNanos;
  private final long blockNanos;
  private final int phase;

  private BlockSchedule(long startNanos, long blockNanos, int phase) {
    this.startNanos = startNanos;
    this.blockNanos = blockNanos;
    this.phase = phase;
  }

  /** The schedule the options ask for; fails if the agreed start is already past. */
  static BlockSchedule of(Map<String, String> args) {
    if (!args.containsKey("start-at")) {
      return new BlockSchedule(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200), 0, 0);
    }
    long startAtMs = Long.parseLong(args.get("start-at"));
    long inMicros = startAtMs * 1000 - BenchGatewayMain.nowMicros();
    if (inMicros < 0) {
      throw new IllegalStateException("--start-at " + startAtMs + " passed " + (-inMicros / 1000)
          + " ms before this run was ready; give its setup more time");
    }
    long block = TimeUnit.SECONDS.toNanos(intArg(args, "block-seconds", 5));
    return new BlockSchedule(System.nanoTime() + inMicros * 1000, block, intArg(args, "alternate", 0));
  }

  boolean interleaved() {
    return blockNanos > 0;
  }

  int blockSeconds() {
    return (int) TimeUnit.NANOSECONDS.toSeconds(blockNanos);
  }

  int phase() {
    return phase;
  }

  /** Whether this run sends at {@code offsetNanos} after tick 0. */
  boolean sends(long offsetNanos) {
    return blockNanos == 0 || (offsetNanos / blockNanos) % 2 == phase;
  }

  /** Parks the calling thread until tick 0. */
  void awaitStart() {
    long wait;
    while ((wait = startNanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(wait);
    }
  }
}
