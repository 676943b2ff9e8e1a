package org.voicerelay.stt.bench;

import static org.voicerelay.stt.bench.BenchArgs.intArg;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.voicerelay.stt.bus.WindowedAudioSender;

/**
 * LoadBench's throughput mode: every session is sent its audio by request/reply as fast as the path
 * takes it, with a window of unanswered chunks, then {@code end}; an unmeasured pass first, so the
 * figures are of compiled code.
 */
final class ThroughputMode {

  private final LoadBench bench;
  private BusSessions sessions;

  ThroughputMode(LoadBench bench) {
    this.bench = bench;
  }

  void run() throws Exception {
    int count = intArg(bench.args, "sessions", 1);
    int audioSeconds = intArg(bench.args, "audio-seconds", 60);
    int window = intArg(bench.args, "window", 16);
    int chunkMs = intArg(bench.args, "chunk-ms", 100);
    sessions = bench.startRelay(count);
    int warmup = intArg(bench.args, "warmup-audio-seconds", Math.min(audioSeconds, Math.max(10, 6000 / count)));
    if (warmup > 0) {
      sessions.eventsPrefix = "app.bench.warmup.";
      pass(count, warmup, window, chunkMs, null);
      sessions.eventsPrefix = "app.bench.";
      sessions.errorEvents.set(0);
    }
    Profiler profiler = bench.args.containsKey("profile") ? new Profiler() : null;
    pass(count, audioSeconds, window, chunkMs, profiler);
  }

  private void pass(int count, int audioSeconds, int window, int chunkMs, Profiler profiler) throws Exception {
    sessions.prepare(count);
    sessions.openAll();
    sessions.awaitConnected();
    byte[] pcm = new byte[LoadBench.RATE * 2 * audioSeconds];
    new java.util.Random(7).nextBytes(pcm);
    CRC32 crc = new CRC32();
    crc.update(pcm);
    int chunkBytes = LoadBench.RATE * 2 * chunkMs / 1000;
    long cpu0 = ProcessFigures.processCpuNanos();
    long t0 = System.nanoTime();
    bench.gateway.command("reset");
    if (profiler != null) {
      profiler.start();
    }
    Buffer audio = Buffer.buffer(pcm);
    for (int i : sessions.admitted) {
      int s = i;
      sessions.bytesSent[i] = pcm.length;
      sessions.crcs[i] = crc;
      bench.vertx.getOrCreateContext().runOnContext(v -> send(s, audio, chunkBytes, window));
    }
    boolean allClosed = sessions.closedLatch.await(600, TimeUnit.SECONDS);
    long last = 0;
    for (long f : sessions.finalAt) {
      last = Math.max(last, f);
    }
    double wall = (last - t0) / 1e9;
    double cpu = (ProcessFigures.processCpuNanos() - cpu0) / 1e9;
    if (profiler != null) {
      profiler.stop();
    }
    JsonObject gw = bench.gateway.command("report");
    int complete = sessions.everyByte();
    int n = sessions.n;
    int[] admitted = sessions.admitted;
    if (profiler == null && sessions.eventsPrefix.contains("warmup")) {
      System.out.printf(Locale.ROOT, "(warm-up pass: %d session(s) x %d s of audio in %.2f s)%n", n, audioSeconds, wall);
      return;
    }
    System.out.printf(Locale.ROOT, "%n== throughput: %d session(s) x %d s of audio, %d ms chunks, window %d, %d verticle instance(s), codec %s%n",
        n, audioSeconds, chunkMs, window, intArg(bench.args, "instances", 1), bench.codec);
    System.out.printf(Locale.ROOT, "admission                      %s%n", sessions.admissionLine());
    System.out.printf(Locale.ROOT, "audio seconds per wall second  %.0fx real time (%.0f s of audio in %.2f s)%n",
        (double) admitted.length * audioSeconds / wall, (double) admitted.length * audioSeconds, wall);
    System.out.printf(Locale.ROOT, "verticle process CPU           %.2f s = %.2f cores; gateway process %.2f s = %.2f cores%n",
        cpu, cpu / wall, gw.getDouble("cpuSeconds"), gw.getDouble("cpuSeconds") / wall);
    System.out.printf(Locale.ROOT, "every byte arrived             %d of %d admitted sessions; all closed: %s; error events %d%n",
        complete, admitted.length, allClosed, sessions.errorEvents.get());
    System.out.printf(Locale.ROOT, "loadavg                        %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    if (profiler != null) {
      profiler.print();
    }
  }

  /** Request/reply audio with a window of unanswered chunks, then {@code end}. */
  private void send(int s, Buffer audio, int chunkBytes, int window) {
    WindowedAudioSender sender = WindowedAudioSender.create(bench.vertx, sessions.sessions[s])
        .setWriteQueueMaxSize(window)
        .setDeliveryOptions(new DeliveryOptions(bench.audioDelivery).setSendTimeout(120_000));
    sender.writeAll(audio, chunkBytes).onComplete(ar -> {
      if (ar.failed()) {
        System.err.println("session " + s + ": audio refused: " + ar.cause().getMessage());
      }
      sessions.endSentAt[s] = System.nanoTime();
      sender.end();
    });
  }
}
