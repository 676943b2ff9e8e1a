package org.voicerelay.stt.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the hypervisor took from this virtual machine over a window: Linux's {@code steal} (the first
 * line of {@code /proc/stat}), time a virtual CPU wanted to run and was not given a real one. On a
 * shared virtual machine it comes and goes with other tenants' load; a window with much of it is
 * slower than the same work elsewhere, and a latency tail can come from it alone. (The kernel
 * accounts steal from the hypervisor's clock; its busy and idle columns are sampled at each tick,
 * which missed half of the benches' timer-driven work, so they are not shown.)
 */
final class MachineCpu {

  /** Clock ticks of {@code /proc/stat}: 100 a second on Linux. */
  private static final double TICKS_PER_SECOND = 100;

  private final long steal;
  private final long at = System.nanoTime();

  private MachineCpu(long steal) {
    this.steal = steal;
  }

  /** The counter now; zero where {@code /proc/stat} cannot be read (not Linux). */
  static MachineCpu now() {
    return new MachineCpu(Math.max(0, stealTicks()));
  }

  /** The machine's steal so far, in ticks of 10 ms (both virtual CPUs); -1 where there is no {@code /proc/stat}. */
  static long stealTicks() {
    try (BufferedReader stat = Files.newBufferedReader(Path.of("/proc/stat"))) {
      // cpu user nice system idle iowait irq softirq steal ...: the first line only
      return Long.parseLong(stat.readLine().trim().split("\\s+")[8]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** {@code stolen by the hypervisor S cores} from {@code start} to this reading. */
  String since(MachineCpu start) {
    double seconds = (at - start.at) / 1e9;
    return String.format(Locale.ROOT, "stolen by the hypervisor %.2f cores",
        (steal - start.steal) / TICKS_PER_SECOND / seconds);
  }
}
