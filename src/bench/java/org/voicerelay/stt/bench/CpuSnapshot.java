package org.voicerelay.stt.bench;

import io.vertx.core.json.JsonObject;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;

/**
 * The client bench's CPU at one instant, split as its report shows it (process, event loops,
 * other Java threads, the collectors, kinds of native thread); two of them give the figures per
 * audio second, and tell whether the JIT compiler is still at work.
 */
record CpuSnapshot(long process, long eventLoops, long otherThreads, long gcCount, long gcMillis,
    Map<String, Long> nativeThreads, long loopAllocated, long allAllocated) {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.ThreadMXBean ALLOCATION = (com.sun.management.ThreadMXBean) THREADS;

  static CpuSnapshot take() {
    long loops = 0;
    long others = 0;
    long loopAllocated = 0;
    long allAllocated = 0;
    for (java.lang.management.ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      long allocated = Math.max(0, ALLOCATION.getThreadAllocatedBytes(info.getThreadId()));
      allAllocated += allocated;
      if (info.getThreadName().startsWith("vert.x-eventloop")) {
        loops += cpu;
        loopAllocated += allocated;
      } else {
        others += cpu;
      }
    }
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      // ZGC reports its concurrent cycles ("ZGC Cycles", not pauses) apart from its pauses ("ZGC Pauses")
      if (!gc.getName().endsWith("Pauses")) {
        count += Math.max(0, gc.getCollectionCount());
      }
      if (!gc.getName().endsWith("Cycles")) {
        millis += Math.max(0, gc.getCollectionTime());
      }
    }
    return new CpuSnapshot(ProcessFigures.processCpuNanos(), loops, others, count, millis, ProcessFigures.nativeThreadCpu(),
        loopAllocated, allAllocated);
  }

  /** Whether the JIT compiler took more than a tenth of the process's CPU from {@code a} to {@code b}. */
  static boolean compiling(CpuSnapshot a, CpuSnapshot b) {
    return (b.nativeThreads.getOrDefault("JIT", 0L) - a.nativeThreads.getOrDefault("JIT", 0L)) * 10
        > b.process - a.process;
  }

  /**
   * Waits {@code seconds}, then on while the JIT compiler still takes more than a tenth of the
   * process's CPU (at most a minute more): on a loaded machine ten seconds do not compile the hot
   * path, and a measurement would count interpreted code and the compiler's own CPU.
   */
  static void warmUp(int seconds) throws InterruptedException {
    Thread.sleep(seconds * 1000L);
    for (int extra = 0; extra < 30; extra++) {
      CpuSnapshot a = take();
      Thread.sleep(2000);
      CpuSnapshot b = take();
      if (!compiling(a, b)) {
        return;
      }
    }
  }

  /** The CPU from {@code a} to {@code b} per second of the audio sent meanwhile, as the report reads it. */
  static JsonObject perAudioSecond(CpuSnapshot a, CpuSnapshot b, double audioSeconds) {
    double process = (b.process - a.process) / 1e6;
    double loops = (b.eventLoops - a.eventLoops) / 1e6;
    double others = (b.otherThreads - a.otherThreads) / 1e6;
    double rest = Math.max(0, process - loops - others);
    JsonObject kinds = new JsonObject();
    for (Map.Entry<String, Long> e : b.nativeThreads.entrySet()) {
      long before = a.nativeThreads.getOrDefault(e.getKey(), 0L);
      kinds.put(e.getKey(), (e.getValue() - before) / 1e6 / audioSeconds);
    }
    return new JsonObject()
        .put("audioSeconds", audioSeconds)
        .put("threadKindsMsPerAudioSecond", kinds)
        .put("cpuMsPerAudioSecond", process / audioSeconds)
        .put("eventLoopMsPerAudioSecond", loops / audioSeconds)
        .put("otherThreadsMsPerAudioSecond", others / audioSeconds)
        .put("gcVmMsPerAudioSecond", rest / audioSeconds)
        .put("gcVmShare", process == 0 ? 0 : rest / process)
        .put("eventLoopAllocatedBytesPerAudioSecond", (b.loopAllocated - a.loopAllocated) / audioSeconds)
        .put("allocatedBytesPerAudioSecond", (b.allAllocated - a.allAllocated) / audioSeconds)
        .put("gcCollections", b.gcCount - a.gcCount)
        .put("gcPauseMs", b.gcMillis - a.gcMillis);
  }
}
