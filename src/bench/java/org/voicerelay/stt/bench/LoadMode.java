package org.voicerelay.stt.bench;

import static org.voicerelay.stt.bench.BenchArgs.intArg;

import io.netty.buffer.Unpooled;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * LoadBench's load mode: the sessions are opened (ramped, or all at once), one pacing thread sends
 * each admitted one its audio in real time, and after the warm-up the measured window's figures of
 * the relay's process, the gateway and the machine are printed, with the {@code RESULT} line
 * {@code scripts/bench} reads.
 */
final class LoadMode {

  private final LoadBench bench;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private BusSessions sessions;

  LoadMode(LoadBench bench) {
    this.bench = bench;
  }

  void run() throws Exception {
    int count = intArg(bench.args, "sessions", 100);
    int seconds = intArg(bench.args, "seconds", 30);
    int ramp = intArg(bench.args, "ramp-seconds", 20);
    int warmup = intArg(bench.args, "warmup", ramp + 10);
    int chunkMs = intArg(bench.args, "chunk-ms", 100);
    // each session ends a turn (flush) every so often, staggered: the steady end-of-utterance figure
    long flushTicks = intArg(bench.args, "flush-every", 0) / chunkMs;
    if (ramp > 0 && warmup < ramp + 5) {
      throw new IllegalArgumentException("--warmup must be at least --ramp-seconds + 5");
    }
    sessions = bench.startRelay(count);
    sessions.prepare(count);
    long heap0 = ProcessFigures.heapAfterGc();
    long rss0 = ProcessFigures.rssBytes();
    BlockSchedule schedule = BlockSchedule.of(bench.args);
    if (schedule.interleaved()) {
      schedule.awaitStart();
    }
    long opening = System.nanoTime();
    String loadAfterOpens = "";
    double openSeconds = 0;
    long heapIdle = 0;
    long rssIdle = 0;
    if (ramp == 0) {
      sessions.openAll();
      sessions.active = sessions.admitted;
      loadAfterOpens = bench.nodeLoad();
      sessions.awaitConnected();
      openSeconds = (System.nanoTime() - opening) / 1e9;
      heapIdle = ProcessFigures.heapAfterGc();
      rssIdle = ProcessFigures.rssBytes();
    }
    if (!schedule.interleaved()) {
      schedule = BlockSchedule.of(bench.args); // from now: after the opens, or with the ramp
    }

    int chunkBytes = LoadBench.RATE * 2 * chunkMs / 1000;
    int frameBytes = LoadBench.RATE * 2 * 50 / 1000;
    byte[] pattern = new byte[chunkBytes];
    new java.util.Random(42).nextBytes(pattern);
    long period = TimeUnit.MILLISECONDS.toNanos(chunkMs);
    long totalTicks = (long) (warmup + seconds) * 1000 / chunkMs;
    long warmTicks = (long) warmup * 1000 / chunkMs;
    long[] measure = new long[6]; // cpu0, sender0, wall0, cpu1, sender1, wall1
    long[] maxLateNs = {0};
    Profiler profiler = bench.args.containsKey("profile") ? new Profiler() : null;
    Map<String, Long> threadCpu0 = new HashMap<>();
    Map<String, Long> threadCpu1 = new HashMap<>();
    long[][] allocated = new long[2][];
    MachineCpu[] machine = new MachineCpu[2];
    StealTimeline steal = new StealTimeline();
    long[] sendingTicks = {0}; // ticks of the measured window in which this run sent
    BlockSchedule pacing = schedule;
    Thread sender = new Thread(() -> {
      long start = pacing.startNanos;
      for (long k = 0; ; k++) {
        long tickStart = start + k * period;
        long untilTick;
        while ((untilTick = tickStart - System.nanoTime()) > 1_000_000) {
          LockSupport.parkNanos(untilTick - 1_000_000);
        }
        boolean sending = pacing.sends(k * period);
        // the last tick ends every session; interleaved, the first of this run's own after the window
        boolean last = k >= totalTicks && sending;
        if (sending && k >= warmTicks && k < totalTicks) {
          sendingTicks[0]++;
        }
        int[] now = sending ? sessions.active : new int[0];
        if (k == warmTicks) {
          threadCpu0.putAll(ProcessFigures.threadCpu());
          allocated[0] = allocatedBytes();
          measure[0] = ProcessFigures.processCpuNanos();
          measure[1] = threads.getCurrentThreadCpuTime();
          measure[2] = System.nanoTime();
          machine[0] = MachineCpu.now();
          steal.start();
          System.err.println("bench: measured window starts");
          try {
            bench.gateway.command("reset");
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
          if (profiler != null) {
            profiler.start();
          }
        }
        if (k == totalTicks) {
          measure[3] = ProcessFigures.processCpuNanos();
          measure[4] = threads.getCurrentThreadCpuTime();
          measure[5] = System.nanoTime();
          machine[1] = MachineCpu.now();
          try {
            steal.stop();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          System.err.println("bench: measured window ends");
          bench.nodeLag.print(BenchGatewayMain.nowMicros() - (measure[5] - measure[2]) / 1000);
          if (bench.args.containsKey("stalls")) {
            bench.threadLag.print(BenchGatewayMain.nowMicros() - (measure[5] - measure[2]) / 1000);
          }
          threadCpu1.putAll(ProcessFigures.threadCpu());
          allocated[1] = allocatedBytes();
          if (profiler != null) {
            profiler.stop();
          }
        }
        for (int a = 0; a < now.length; a++) {
          int i = now[a];
          long due = tickStart + a * period / now.length;
          // sleep until the send is due (no spinning: the pacing thread must not eat the cores it
          // measures); a send may be up to a timer slack late, but its marker is stamped when it
          // is actually sent, so lateness never hides in the latency figures
          // sends due within the next millisecond go at once (one wake-up per millisecond, not
          // one per send: parking 20 000 times a second cost the pacing thread a fifth of a core)
          long wait;
          while ((wait = due - System.nanoTime()) > 1_000_000) {
            LockSupport.parkNanos(wait - 1_000_000);
          }
          long late = Math.max(0, System.nanoTime() - due);
          if (k >= warmTicks && late > maxLateNs[0]) {
            maxLateNs[0] = late;
          }
          if (last) {
            sessions.end(i);
            continue;
          }
          byte[] pcm = pattern.clone();
          long micros = BenchGatewayMain.nowMicros();
          for (int f = 0; f + 12 <= pcm.length; f += frameBytes) {
            putLongLe(pcm, f, micros);
            putIntLe(pcm, f + 8, BenchGatewayMain.MAGIC);
          }
          sessions.crcs[i].update(pcm);
          sessions.bytesSent[i] += pcm.length;
          // wrapped, not Buffer.buffer(pcm), which copies the array once more (Vert.x 5)
          bench.vertx.eventBus().send(sessions.audioAddresses[i], BufferInternal.buffer(Unpooled.wrappedBuffer(pcm)),
              bench.audioDelivery);
          if (flushTicks > 0 && (k + a) % flushTicks == 0) {
            sessions.flush(i); // the end of a turn, after its audio
          }
        }
        if (last) {
          return;
        }
      }
    }, "bench-sender");
    sender.start();
    if (ramp > 0) {
      if (bench.args.containsKey("follow")) {
        sessions.n = Math.min(count, awaitLeader(Path.of(bench.args.get("follow"))));
        opening = System.nanoTime();
      }
      sessions.rampOpens(ramp).join();
      loadAfterOpens = bench.nodeLoad();
      openSeconds = (System.nanoTime() - opening) / 1e9;
      if (bench.args.containsKey("admitted-file")) {
        Path file = Path.of(bench.args.get("admitted-file"));
        Path written = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), String.valueOf(sessions.active.length));
        Files.move(written, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    }
    sender.join();
    sessions.admitted = sessions.active;
    int[] admitted = sessions.admitted;
    int n = sessions.n;
    JsonObject gw = bench.gateway.command("report");
    long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (sessions.closedEvents.get() < admitted.length && System.nanoTime() < closeDeadline) {
      Thread.sleep(100);
    }
    boolean allClosed = sessions.closedEvents.get() >= admitted.length;

    double wall = (measure[5] - measure[2]) / 1e9;
    double cpu = (measure[3] - measure[0]) / 1e9;
    double senderCpu = (measure[4] - measure[1]) / 1e9;
    int m = Math.max(1, admitted.length);
    double audioSeconds = (double) m * sendingTicks[0] * chunkMs / 1000;
    long[] endToFinal = new long[m];
    long[] finalAt = sessions.finalAt;
    for (int a = 0; a < admitted.length; a++) {
      int i = admitted[a];
      endToFinal[a] = finalAt[i] == 0 ? Long.MAX_VALUE : finalAt[i] - sessions.endSentAt[i];
    }
    int complete = sessions.everyByte();
    Arrays.sort(endToFinal);
    long[] eou = new long[m];
    int eouCount = 0;
    for (int i : admitted) {
      if (sessions.finalizeToFinalUs[i] > 0) {
        eou[eouCount++] = sessions.finalizeToFinalUs[i];
      }
    }
    Arrays.sort(eou, 0, eouCount);
    // the finals of the turns ended in the window (flush), not the burst of the ends after it
    long windowEndUs = BenchGatewayMain.nowMicros() - (System.nanoTime() - measure[5]) / 1000;
    long[] turns = sessions.finalizeLatencies(windowEndUs - (measure[5] - measure[2]) / 1000, windowEndUs);
    String uptime = Files.readString(Path.of("/proc/loadavg")).trim();
    System.out.printf(Locale.ROOT, "%n== load: %d sessions, %d s measured after %d s warm-up, %d ms bus chunks, %d %s instance(s), codec %s, %s; window ended %s%n",
        n, seconds, warmup, chunkMs, intArg(bench.args, "instances", 1), bench.floor ? "FLOOR relay" : "SttVerticle", bench.codec,
        bench.vertx.isNativeTransportEnabled() ? "epoll" : "NIO",
        java.time.LocalTime.now(java.time.ZoneOffset.UTC).minusNanos(System.nanoTime() - measure[5]).withNano(0) + " UTC");
    if (schedule.interleaved()) {
      System.out.printf(Locale.ROOT, "interleaved             with a second run: this one sends in the %s blocks of %d s (%.0f s of the window), the other in the rest%n",
          schedule.phase() == 0 ? "even" : "odd", schedule.blockSeconds(), sendingTicks[0] * chunkMs / 1000.0);
    }
    System.out.printf(Locale.ROOT, "admission               %s%n", sessions.admissionLine());
    System.out.printf(Locale.ROOT, "node load after opens   %s%n", loadAfterOpens);
    System.out.printf(Locale.ROOT, "node load at the end    %s%n", bench.nodeLoad());
    System.out.printf(Locale.ROOT, ramp > 0 ? "opens ramped over       %.1f s (while the admitted sessions stream)%n"
        : "open+connect            %.1f s%n", openSeconds);
    System.out.printf(Locale.ROOT, "verticle process CPU    %.2f s in %.1f s wall = %.2f cores; minus the pacing thread (%.2f s): %.2f cores%n",
        cpu, wall, cpu / wall, senderCpu, (cpu - senderCpu) / wall);
    System.out.printf(Locale.ROOT, "CPU by thread group     %s%n", ProcessFigures.cpuByGroup(threadCpu0, threadCpu1, cpu));
    System.out.printf(Locale.ROOT, "CPU per audio second    %.2f ms (process), %.2f ms (without the pacing thread)%n",
        cpu * 1000 / audioSeconds, (cpu - senderCpu) * 1000 / audioSeconds);
    double loopBytes = allocated[1][0] - allocated[0][0];
    double pacingBytes = allocated[1][1] - allocated[0][1];
    System.out.printf(Locale.ROOT, "heap allocation         event loops %.1f MB/s = %.1f KiB per audio second; pacing thread %.1f MB/s = %.1f KiB per audio second%n",
        loopBytes / 1e6 / wall, loopBytes / 1024 / audioSeconds, pacingBytes / 1e6 / wall, pacingBytes / 1024 / audioSeconds);
    System.out.printf(Locale.ROOT, "gateway process CPU     %.2f s = %.2f cores; its event loops allocated %.1f MB/s = %.0f bytes per frame%n",
        gw.getDouble("cpuSeconds"), gw.getDouble("cpuSeconds") / gw.getDouble("wallSeconds"),
        gw.getLong("eventLoopAllocatedBytes") / 1e6 / gw.getDouble("wallSeconds"),
        (double) gw.getLong("eventLoopAllocatedBytes") / Math.max(1, gw.getLong("count")));
    System.out.printf(Locale.ROOT, "bus -> gateway latency  p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%d frames)%n",
        gw.getLong("p50us") / 1000.0, gw.getLong("p99us") / 1000.0, gw.getLong("p999us") / 1000.0,
        gw.getLong("maxUs") / 1000.0, gw.getLong("count"));
    System.out.printf(Locale.ROOT, "end -> final transcript p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        endToFinal[m / 2] / 1e6, endToFinal[Math.min(m - 1, (int) Math.ceil(m * 0.99) - 1)] / 1e6, endToFinal[m - 1] / 1e6);
    System.out.printf(Locale.ROOT, "end of utterance        session.finalize at the gateway -> final at the events address: p50 %.2f ms, p99 %.2f ms (%d sessions, all ending in one %d ms period)%n",
        ProcessFigures.percentile(eou, eouCount, 0.5) / 1000, ProcessFigures.percentile(eou, eouCount, 0.99) / 1000, eouCount, chunkMs);
    if (flushTicks > 0) {
      System.out.printf(Locale.ROOT, "end of a turn           session.finalize at the gateway -> final at the events address: p50 %.2f ms, p99 %.2f ms (%d turns ended by flush in the window, one per session every %d ms, while all stream)%n",
          ProcessFigures.percentile(turns, turns.length, 0.5) / 1000, ProcessFigures.percentile(turns, turns.length, 0.99) / 1000,
          turns.length, flushTicks * chunkMs);
    }
    if (ramp == 0) {
      System.out.printf(Locale.ROOT, "idle session memory     heap %.1f KiB/session (%.1f -> %.1f MiB after GC), RSS %.1f KiB/session%n",
          (heapIdle - heap0) / 1024.0 / m, heap0 / 1048576.0, heapIdle / 1048576.0, (rssIdle - rss0) / 1024.0 / m);
    }
    System.out.printf(Locale.ROOT, "pacing                  max lateness of a send %.2f ms%n", maxLateNs[0] / 1e6);
    System.out.printf(Locale.ROOT, "every byte arrived      %d of %d admitted sessions (final totalBytes and CRC32 = sent); all closed: %s; error events %d, reconnects %d%n",
        complete, admitted.length, allClosed, sessions.errorEvents.get(), sessions.reconnectEvents.get());
    System.out.printf(Locale.ROOT, "machine CPU             %s%n", machine[1].since(machine[0]));
    System.out.printf(Locale.ROOT, "late frames and steal   %s%n", steal.report(gw.getJsonObject("timeline")));
    System.out.printf(Locale.ROOT, "loadavg                 %s%n", uptime);
    // one line for scripts/bench's ratios to the floor
    System.out.printf(Locale.ROOT, "RESULT relay=%s offered=%d admitted=%d cpu_ms_per_audio_s=%.4f p50_ms=%.3f p99_ms=%.3f eou_p50_ms=%.3f eou_p99_ms=%.3f turn_p50_ms=%.3f turn_p99_ms=%.3f turns=%d every_byte=%d pacing_late_ms=%.2f%n",
        bench.floor ? "floor" : "verticle", n, admitted.length, (cpu - senderCpu) * 1000 / audioSeconds,
        gw.getLong("p50us") / 1000.0, gw.getLong("p99us") / 1000.0,
        ProcessFigures.percentile(eou, eouCount, 0.5) / 1000, ProcessFigures.percentile(eou, eouCount, 0.99) / 1000,
        ProcessFigures.percentile(turns, turns.length, 0.5) / 1000, ProcessFigures.percentile(turns, turns.length, 0.99) / 1000,
        turns.length, complete, maxLateNs[0] / 1e6);
    if (profiler != null) {
      profiler.print();
    }
  }

  /**
   * Interleaved, the run that follows opens as many sessions as the run it follows admitted: it
   * waits until that run writes the number into {@code file} (after its ramp).
   */
  private static int awaitLeader(Path file) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!Files.exists(file) || Files.readString(file).isBlank()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the run this one follows wrote no admitted count into " + file + " within 300 s");
      }
      Thread.sleep(50);
    }
    return Integer.parseInt(Files.readString(file).trim());
  }

  /**
   * Heap bytes allocated so far by the event loops and by the pacing thread. A local event-bus
   * delivery copies the body on the sending thread ({@code MessageCodec.transform} in Vert.x 5),
   * so the built-in Buffer codec's copy shows in the pacing thread's figure.
   */
  private static long[] allocatedBytes() {
    return new long[] {HeapAllocation.byThreads("vert.x-eventloop"), HeapAllocation.byThreads("bench-sender")};
  }

  private static void putLongLe(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }

  private static void putIntLe(byte[] b, int at, int v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
