package org.voicerelay.stt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The whole machine's CPU over a window, from the first line of Linux's {@code /proc/stat}: how
 * many cores were busy (every process, ours and others') and how many the hypervisor took away
 * ({@code steal}: time a virtual CPU wanted to run and was not given a real one). On a shared
 * virtual machine steal comes and goes with other tenants' load; a window with much of it is
 * slower than the same work elsewhere, and a latency tail can come from it alone.
 */
final class MachineCpu {

  /** Clock ticks of {@code /proc/stat}: 100 a second on Linux. */
  private static final double TICKS_PER_SECOND = 100;

  private final long busy;
  private final long steal;
  private final long at = System.nanoTime();

  private MachineCpu(long busy, long steal) {
    this.busy = busy;
    this.steal = steal;
  }

  /** The counters now; zeros where {@code /proc/stat} cannot be read (not Linux). */
  static MachineCpu now() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
          + Long.parseLong(f[6]) + Long.parseLong(f[7]);
      return new MachineCpu(busy, Long.parseLong(f[8]));
    } catch (IOException | RuntimeException e) {
      return new MachineCpu(0, 0);
    }
  }

  /** {@code busy B cores, stolen by the hypervisor S cores} from {@code start} to this reading. */
  String since(MachineCpu start) {
    double seconds = (at - start.at) / 1e9;
    return String.format(Locale.ROOT, "busy %.2f of %d cores (every process), stolen by the hypervisor %.2f cores",
        (busy - start.busy) / TICKS_PER_SECOND / seconds, Runtime.getRuntime().availableProcessors(),
        (steal - start.steal) / TICKS_PER_SECOND / seconds);
  }
}
