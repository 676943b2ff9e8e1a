package org.voicerelay.stt.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the benches measure of their own JVM and process (heap after GC, RSS, CPU per thread and
 * per kind of thread) and the percentile they report, so that every bench takes a figure the same
 * way.
 */
final class ProcessFigures {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private ProcessFigures() {
  }

  /** CPU time (ns) of the whole process so far. */
  static long processCpuNanos() {
    return OS.getProcessCpuTime();
  }

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** The value at {@code p} of the first {@code count} values of {@code sorted}; NaN when there is none. */
  static double percentile(long[] sorted, int count, double p) {
    if (count == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(count - 1, Math.max(0, (int) Math.ceil(count * p) - 1))];
  }

  /** CPU time (ns) of every live Java thread, by "name#id". */
  static Map<String, Long> threadCpu() {
    Map<String, Long> cpu = new HashMap<>();
    for (java.lang.management.ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info != null) {
        long t = THREADS.getThreadCpuTime(info.getThreadId());
        if (t >= 0) {
          cpu.put(info.getThreadName() + "#" + info.getThreadId(), t);
        }
      }
    }
    return cpu;
  }

  /**
   * The CPU seconds between two {@link #threadCpu()} by group: event loops, the pacing thread,
   * other Java threads (JIT compilers, Vert.x's checker, ...), and the rest of the process (GC and
   * VM threads, which are not Java threads).
   */
  static String cpuByGroup(Map<String, Long> before, Map<String, Long> after, double processCpu) {
    Map<String, Double> groups = new java.util.TreeMap<>();
    double javaThreads = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      double sec = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e9;
      String name = e.getKey();
      String group = name.startsWith("vert.x-eventloop") ? "event loops"
          : name.startsWith("bench-sender") ? "pacing thread"
          : name.contains("Compiler") ? "JIT" : "other Java threads";
      groups.merge(group, sec, Double::sum);
      javaThreads += sec;
    }
    groups.put("GC+VM (rest of the process)", processCpu - javaThreads);
    StringBuilder b = new StringBuilder();
    groups.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(' ')
        .append(String.format(Locale.ROOT, "%.2f s", v)));
    return b.toString();
  }

  /**
   * CPU nanoseconds per kind of thread, from {@code /proc/self/task/}: GC and JIT compiler threads
   * are not Java threads, so {@code ThreadMXBean} cannot tell them apart. Empty off Linux.
   */
  static Map<String, Long> nativeThreadCpu() {
    Map<String, Long> groups = new HashMap<>();
    File[] tasks = new File("/proc/self/task").listFiles();
    if (tasks == null) {
      return groups;
    }
    for (File task : tasks) {
      try {
        String stat = Files.readString(new File(task, "stat").toPath());
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long kernelTicks = Long.parseLong(f[12]);
        String kind = threadKind(comm);
        groups.merge(kind, (Long.parseLong(f[11]) + kernelTicks) * 10_000_000L, Long::sum);
        if (kind.equals("event loops")) {
          // on loopback, the system calls of a send also run the receiving side's TCP input
          groups.merge("event loops in the kernel", kernelTicks * 10_000_000L, Long::sum);
        }
      } catch (IOException | RuntimeException e) {
        // the thread ended meanwhile
      }
    }
    return groups;
  }

  private static String threadKind(String comm) {
    if (comm.startsWith("vert.x-eventloo")) {
      return "event loops";
    }
    // G1's threads, and ZGC's (ZDirector, ZDriver, ZStat, ZWorker#N, ...), whose periodic
    // wake-ups cost the same at 1 stream as at 1000
    if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("Z")) {
      return "GC";
    }
    if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
      return "JIT";
    }
    if (comm.startsWith("VM ") || comm.startsWith("Sweeper") || comm.startsWith("Common-Cleaner")
        || comm.startsWith("Signal") || comm.startsWith("Finalizer") || comm.startsWith("Reference")) {
      return "VM";
    }
    return "other";
  }
}
