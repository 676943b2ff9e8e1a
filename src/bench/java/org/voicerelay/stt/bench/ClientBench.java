package org.voicerelay.stt.bench;

import static org.voicerelay.stt.bench.BenchArgs.intArg;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamState;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttOptions;

/**
 * The client benchmark: {@link SttClient} driven directly, as an agent drives it, with
 * {@code SpeechStream.write}s of 10 or 20 ms (WebRTC frames) of a 440 Hz tone at 16 kHz, against
 * the local gateway with the counting engine in a second JVM ({@link BenchGatewayMain}). With
 * {@code --peer}, LiveKit's Node client {@code @livekit/agents} does the same work against the same
 * gateway in the same run ({@code scripts/peer-bench.mjs}) and the ratios are printed.
 *
 * <pre>
 * --mode realtime|fast|both  --streams N  --frame-ms 20  --warmup 10  --seconds 20 (realtime)
 * --audio-seconds 20 (fast, per stream)  --peer  --gateway-instances 1  --endpoint-seconds 5
 * </pre>
 *
 * <p>Real time: one periodic timer per event loop writes the frames that are due to each stream of
 * that loop (catching up by the wall clock if a tick is late); after the warm-up, CPU is measured
 * for {@code seconds}: the whole process ({@code OperatingSystemMXBean}), the event-loop threads
 * ({@code ThreadMXBean}), the other Java threads, and the rest (GC and VM threads, which are not
 * Java threads), with the collectors' counts. Then every stream ends, and its last final must
 * count every byte written with the right CRC32. As fast as possible: every stream writes its
 * audio as flow control lets it ({@code writeQueueFull}/{@code drainHandler}), then ends; the time
 * is from the first open to the last stream's final covering all its bytes; passes are repeated
 * for the warm-up first. The warm-up goes on (a minute at most) while the JIT compiler still takes
 * more than a tenth of the process's CPU.
 */
public final class ClientBench {

  static final int RATE = 16_000;
  /**
   * A stream keeps real time while no write is later than this and the client never buffers more
   * audio than this: a shared 2-core machine stalls a process for tens of milliseconds now and then.
   */
  static final int KEEPS_REAL_TIME_MS = 250;
  private static final String KEY = "benchkey";
  private static final String SECRET = "bench-secret-0123456789abcdef";
  /** One second of the tone: 440 periods fit exactly, so frames cut from it repeat every second. */
  static final byte[] TONE = tone();

  private final Map<String, String> args;
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Buffer tone = Buffer.buffer(TONE);
  private BenchGatewayProcess gateway;
  private int port;
  private Vertx vertx;
  private SttClient client;
  private List<Context> eventLoops;

  private ClientBench(Map<String, String> args) {
    this.args = args;
  }

  static final String USAGE = String.join("\n",
      "usage: ClientBench [--mode realtime|fast|both|eou] [--streams 100] [--frame-ms 20] [--warmup 10]",
      "                   [--seconds 20] [--audio-seconds 20] [--rounds 20] [--transport nio|epoll] [--peer]",
      "                   [--gateway-instances 1] [--endpoint-seconds 5] [--node-dir scripts/.node]",
      "  --transport nio (default): Vertx.vertx() as most applications create it; epoll: preferNativeTransport",
      "  --mode eou: end-of-utterance latency, session.finalize at the gateway -> final transcript delivered;",
      "              --rounds rounds of --streams streams, --seconds of real-time audio each, ends spread over 5 s",
      "  --peer: the same work by @livekit/agents (scripts/peer-bench.mjs) against the same gateway, with ratios");

  private static final java.util.Set<String> OPTIONS = java.util.Set.of("mode", "streams", "frame-ms", "warmup",
      "seconds", "audio-seconds", "rounds", "transport", "peer", "gateway-instances", "endpoint-seconds", "node-dir");

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = BenchArgs.parseOrExit(argv, OPTIONS, USAGE);
    try {
      if (!java.util.Set.of("realtime", "fast", "both", "eou").contains(args.getOrDefault("mode", "both"))) {
        throw new IllegalArgumentException("--mode must be realtime, fast, both or eou, got " + args.get("mode"));
      }
      for (String name : new String[] {"streams", "frame-ms", "seconds", "audio-seconds", "rounds", "gateway-instances"}) {
        if (intArg(args, name, 1) <= 0) {
          throw new IllegalArgumentException("--" + name + " must be a positive whole number");
        }
      }
      if (intArg(args, "warmup", 0) < 0) {
        throw new IllegalArgumentException("--warmup must not be negative");
      }
      int frameMs = intArg(args, "frame-ms", 20);
      if (1000 % frameMs != 0 || frameMs > 1000) {
        throw new IllegalArgumentException("--frame-ms must divide 1000, got " + frameMs);
      }
      nativeTransport(args);
    } catch (IllegalArgumentException e) {
      BenchArgs.exitWithUsage(e.getMessage(), USAGE);
    }
    ClientBench bench = new ClientBench(args);
    try {
      bench.run();
    } finally {
      BenchGatewayProcess.stop(bench.vertx, bench.gateway);
    }
    System.exit(0);
  }

  private void run() throws Exception {
    System.out.println(CpuCalibration.line());
    port = startGateway();
    // NIO unless asked: what Vertx.vertx() gives an application
    vertx = nativeTransport(args)
        ? Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true))
        : Vertx.vertx();
    client = SttClient.create(vertx, new SttOptions().setBaseUrl("http://127.0.0.1:" + port + "/v1")
        .setApiKey(KEY).setApiSecret(SECRET)
        .setConnectOptions(new ConnectOptions().setTimeoutMs(60_000)));
    String mode = args.getOrDefault("mode", "both");
    int streams = intArg(args, "streams", 100);
    int frameMs = intArg(args, "frame-ms", 20);
    boolean peer = args.containsKey("peer");
    System.out.printf(Locale.ROOT, "client bench: %d streams, %d ms writes, 440 Hz at 16 kHz, client's Vert.x on %s; gateway %s"
        + " instance(s), counting engine, final every %s s of audio%n", streams, frameMs,
        vertx.isNativeTransportEnabled() ? "epoll" : "NIO (Vertx.vertx())",
        args.getOrDefault("gateway-instances", "1"), args.getOrDefault("endpoint-seconds", "5"));
    if (mode.equals("realtime") || mode.equals("both")) {
      JsonObject ours = realTime(streams, frameMs, intArg(args, "warmup", 10), intArg(args, "seconds", 20));
      print("this project (SttClient)", ours);
      if (peer) {
        JsonObject theirs = peer("realtime", streams, frameMs);
        ratio("real time, CPU per audio second", theirs.getDouble("cpuMsPerAudioSecond", 0.0),
            ours.getDouble("cpuMsPerAudioSecond"));
      }
    }
    if (mode.equals("eou")) {
      JsonObject ours = endOfUtterance(streams, frameMs, intArg(args, "warmup", 10), intArg(args, "seconds", 5),
          intArg(args, "rounds", streams == 1 ? 20 : 1));
      print("this project (SttClient)", ours);
      if (peer) {
        JsonObject theirs = peer("eou", streams, frameMs);
        ratio("end of utterance, p50", number(theirs, "eouP50Ms"), number(ours, "eouP50Ms"));
        ratio("end of utterance, p99", number(theirs, "eouP99Ms"), number(ours, "eouP99Ms"));
      }
    }
    if (mode.equals("fast") || mode.equals("both")) {
      JsonObject ours = fast(streams, frameMs, intArg(args, "warmup", 10), intArg(args, "audio-seconds", 20));
      print("this project (SttClient)", ours);
      if (peer) {
        JsonObject theirs = peer("fast", streams, frameMs);
        ratio("as fast as possible, x real time", ours.getDouble("xRealTime"),
            theirs.getDouble("xRealTime", 0.0));
        ratio("as fast as possible, CPU per audio second", theirs.getDouble("cpuMsPerAudioSecond", 0.0),
            ours.getDouble("cpuMsPerAudioSecond"));
      }
    }
    System.out.println(CpuCalibration.line());
  }

  // ---------------------------------------------------------------- real time

  private JsonObject realTime(int n, int frameMs, int warmup, int seconds) throws Exception {
    int frameBytes = RATE * frameMs / 1000 * 2;
    long frameNanos = frameMs * 1_000_000L;
    List<Context> loops = eventLoops();
    List<List<Tracked>> perLoop = new ArrayList<>();
    for (int i = 0; i < loops.size(); i++) {
      perLoop.add(new ArrayList<>());
    }
    List<Tracked> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int loop = i % loops.size();
      Tracked t = join(onContext(loops.get(loop), () -> new Tracked(client.stream())));
      perLoop.get(loop).add(t);
      all.add(t);
    }
    awaitConnected(all);
    AtomicLong framesWritten = new AtomicLong();
    long[] maxLagNanos = new long[loops.size()];
    long[] maxBuffered = new long[loops.size()];
    java.util.concurrent.atomic.AtomicBoolean measuring = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    CountDownLatch pacersStopped = new CountDownLatch(loops.size());
    long start = System.nanoTime();
    for (int l = 0; l < loops.size(); l++) {
      int loop = l;
      List<Tracked> mine = perLoop.get(l);
      join(onContext(loops.get(l), () -> vertx.setPeriodic(frameMs, id -> {
        if (stopped.get()) {
          vertx.cancelTimer(id);
          pacersStopped.countDown();
          return;
        }
        long now = System.nanoTime();
        long due = (now - start) / frameNanos + 1;
        long written = 0;
        for (Tracked t : mine) {
          if (measuring.get() && t.frames < due) {
            maxLagNanos[loop] = Math.max(maxLagNanos[loop], now - (start + t.frames * frameNanos));
            maxBuffered[loop] = Math.max(maxBuffered[loop], t.stream.bufferedBytes());
          }
          while (t.frames < due) {
            t.stream.write(frame(t.frames++, frameBytes));
            written++;
          }
        }
        framesWritten.addAndGet(written);
      })));
    }
    warmUp(warmup);
    Snapshot before = snapshot();
    long frames0 = framesWritten.get();
    measuring.set(true);
    Thread.sleep(seconds * 1000L);
    Snapshot after = snapshot();
    long frames = framesWritten.get() - frames0;
    measuring.set(false);
    stopped.set(true);
    if (!pacersStopped.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the event loops did not come back within 300 s");
    }
    double audioSeconds = frames * frameMs / 1000.0;
    JsonObject result = cpu(before, after, audioSeconds)
        .put("work", n + " streams real time, " + frameMs + " ms writes, " + seconds + " s measured after "
            + warmup + " s")
        .put("maxLagMs", max(maxLagNanos) / 1e6)
        .put("maxBufferedBytes", max(maxBuffered));
    long endStart = System.nanoTime();
    endAll(loops, perLoop, frameBytes, result);
    result.put("endToLastFinalMs", (System.nanoTime() - endStart) / 1e6);
    result.put("keepsRealTime", result.getDouble("maxLagMs") < KEEPS_REAL_TIME_MS
        && result.getLong("maxBufferedBytes") < RATE * 2 * KEEPS_REAL_TIME_MS / 1000);
    return result;
  }

  /**
   * Waits {@code seconds}, then on while the JIT compiler still takes more than a tenth of the
   * process's CPU (at most a minute more): on a loaded machine ten seconds do not compile the hot
   * path, and a measurement would count interpreted code and the compiler's own CPU.
   */
  private void warmUp(int seconds) throws InterruptedException {
    Thread.sleep(seconds * 1000L);
    for (int extra = 0; extra < 30; extra++) {
      Snapshot a = snapshot();
      Thread.sleep(2000);
      Snapshot b = snapshot();
      long jit = b.nativeThreads.getOrDefault("JIT", 0L) - a.nativeThreads.getOrDefault("JIT", 0L);
      if (jit * 10 <= b.process - a.process) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- end of utterance

  /**
   * End-of-utterance latency: rounds of {@code n} streams written in real time for {@code seconds}
   * (the first round {@code warmup} seconds longer, its samples dropped), then ended one after the
   * other, spread evenly over 5 s (at once for one stream) while the others still stream. Each
   * sample is the time from the gateway handing {@code session.finalize} to its engine to this
   * client delivering the final that answers it (the gateway stamps it, see
   * {@link BenchGatewayMain#FINALIZE_AT}; one clock).
   */
  private JsonObject endOfUtterance(int n, int frameMs, int warmup, int seconds, int rounds) throws Exception {
    int frameBytes = RATE * frameMs / 1000 * 2;
    long frameNanos = frameMs * 1_000_000L;
    long spreadMs = n == 1 ? 0 : 5000;
    List<Long> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    int complete = 0;
    for (int round = 0; round <= rounds; round++) {
      List<Context> loops = eventLoops();
      List<List<Tracked>> perLoop = new ArrayList<>();
      for (int i = 0; i < loops.size(); i++) {
        perLoop.add(new ArrayList<>());
      }
      List<Tracked> all = new ArrayList<>();
      List<Long> sink = round == 0 ? java.util.Collections.synchronizedList(new ArrayList<>()) : samples;
      for (int i = 0; i < n; i++) {
        int loop = i % loops.size();
        Tracked t = join(onContext(loops.get(loop), () -> new Tracked(client.stream())));
        t.eouSamples = sink;
        perLoop.get(loop).add(t);
        all.add(t);
      }
      awaitConnected(all);
      long start = System.nanoTime();
      java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
      CountDownLatch pacersStopped = new CountDownLatch(loops.size());
      for (int l = 0; l < loops.size(); l++) {
        List<Tracked> mine = perLoop.get(l);
        join(onContext(loops.get(l), () -> vertx.setPeriodic(frameMs, id -> {
          if (stopped.get()) {
            vertx.cancelTimer(id);
            pacersStopped.countDown();
            return;
          }
          long due = (System.nanoTime() - start) / frameNanos + 1;
          for (Tracked t : mine) {
            while (!t.ended && t.frames < due) {
              t.stream.write(frame(t.frames++, frameBytes));
            }
          }
        })));
      }
      Thread.sleep((round == 0 ? warmup + seconds : seconds) * 1000L);
      List<Future<Void>> ends = java.util.Collections.synchronizedList(new ArrayList<>());
      CountDownLatch endsStarted = new CountDownLatch(n);
      for (int i = 0; i < n; i++) {
        Tracked t = all.get(i);
        Context context = loops.get(i % loops.size());
        long at = spreadMs * i / n;
        context.runOnContext(v -> vertx.setTimer(Math.max(1, at), id -> {
          t.ended = true;
          t.expectedBytes = t.frames * frameBytes;
          ends.add(t.stream.end().otherwiseEmpty());
          endsStarted.countDown();
        }));
      }
      if (!endsStarted.await(spreadMs + 60_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the ends were not started within a minute");
      }
      Future.join(new ArrayList<>(ends)).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      stopped.set(true);
      pacersStopped.await(60, TimeUnit.SECONDS);
      if (round > 0) {
        for (Tracked t : all) {
          if (t.lastTotalBytes == t.expectedBytes && t.lastTotalChecksum == expectedChecksum(t.frames, frameBytes)) {
            complete++;
          }
        }
      }
    }
    long[] sorted;
    synchronized (samples) {
      sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    return new JsonObject()
        .put("work", n + " stream(s) real time, " + frameMs + " ms writes, " + rounds + " round(s) of " + seconds
            + " s, ends spread over " + spreadMs + " ms; session.finalize at the gateway -> final delivered")
        .put("eouSamples", sorted.length)
        .put("eouP50Ms", pct(sorted, 0.5) / 1000.0)
        .put("eouP99Ms", pct(sorted, 0.99) / 1000.0)
        .put("eouMaxMs", sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1000.0)
        .put("streams", n * rounds).put("streamsWithEveryByte", complete);
  }

  private static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? Double.NaN
        : sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(sorted.length * p) - 1))];
  }

  // ---------------------------------------------------------------- as fast as possible

  private JsonObject fast(int n, int frameMs, int warmup, int audioSeconds) throws Exception {
    long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
    long giveUp = warmupEnd + 60_000_000_000L;
    int passes = 0;
    boolean compiling;
    do {
      Snapshot a = snapshot();
      fastPass(n, frameMs, audioSeconds, null, null);
      Snapshot b = snapshot();
      compiling = (b.nativeThreads.getOrDefault("JIT", 0L) - a.nativeThreads.getOrDefault("JIT", 0L)) * 10
          > b.process - a.process;
      passes++;
    } while (System.nanoTime() < warmupEnd || (compiling && System.nanoTime() < giveUp));
    Snapshot before = snapshot();
    JsonObject result = new JsonObject();
    long t0 = System.nanoTime();
    fastPass(n, frameMs, audioSeconds, result, before);
    double wall = (System.nanoTime() - t0) / 1e9;
    double audio = (double) n * audioSeconds;
    return result.put("work", n + " streams x " + audioSeconds + " s as fast as possible, " + frameMs
            + " ms writes, after " + passes + " warm-up passes")
        .put("wallSeconds", wall).put("xRealTime", audio / wall);
  }

  private void fastPass(int n, int frameMs, int audioSeconds, JsonObject result, Snapshot before)
      throws Exception {
    int frameBytes = RATE * frameMs / 1000 * 2;
    long total = audioSeconds * 1000L / frameMs;
    List<Context> loops = eventLoops();
    List<List<Tracked>> perLoop = new ArrayList<>();
    for (int i = 0; i < loops.size(); i++) {
      perLoop.add(new ArrayList<>());
    }
    CountDownLatch covered = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      int loop = i % loops.size();
      Tracked t = join(onContext(loops.get(loop), () -> {
        Tracked tracked = new Tracked(client.stream());
        tracked.expectedBytes = total * frameBytes;
        tracked.onCovered = covered::countDown;
        tracked.pump(total, frameBytes, this);
        return tracked;
      }));
      perLoop.get(loop).add(t);
    }
    if (!covered.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException(covered.getCount() + " streams without a final covering their audio");
    }
    if (result != null) {
      Snapshot after = snapshot();
      result.mergeIn(cpu(before, after, (double) n * audioSeconds));
    }
    JsonObject check = new JsonObject();
    endAll(loops, perLoop, frameBytes, check);
    if (result != null) {
      result.mergeIn(check);
    }
  }

  // ---------------------------------------------------------------- streams

  /** A stream and what the bench knows of it; touched only on the stream's event loop. */
  private static final class Tracked {
    final SpeechStream stream;
    long frames;
    long expectedBytes = -1;
    long finals;
    long lastTotalBytes = -1;
    long lastTotalChecksum = -1;
    Runnable onCovered;
    /** End-of-utterance mode: where the finalize -> final samples go (us), and no more writes after end. */
    List<Long> eouSamples;
    boolean ended;

    Tracked(SpeechStream stream) {
      this.stream = stream;
      stream.handler(this::onEvent);
      stream.exceptionHandler(err -> { });
    }

    private void onEvent(SpeechEvent event) {
      if (event.type() != SpeechEventType.FINAL_TRANSCRIPT || event.alternatives().isEmpty()) {
        return;
      }
      finals++;
      JsonObject meta = event.alternatives().get(0).metadata();
      if (eouSamples != null && meta != null && meta.containsKey(BenchGatewayMain.FINALIZE_AT)) {
        eouSamples.add(BenchGatewayMain.nowMicros() - meta.getLong(BenchGatewayMain.FINALIZE_AT));
      }
      if (meta != null && meta.containsKey("totalBytes")) {
        lastTotalBytes = meta.getLong("totalBytes");
        lastTotalChecksum = meta.getLong("totalChecksum");
        if (lastTotalBytes == expectedBytes && onCovered != null) {
          Runnable r = onCovered;
          onCovered = null;
          r.run();
        }
      }
    }

    /** Writes while the stream takes more, then waits for its drain; ends after the last frame. */
    void pump(long total, int frameBytes, ClientBench bench) {
      while (frames < total && !stream.writeQueueFull()) {
        stream.write(bench.frame(frames++, frameBytes));
      }
      if (frames < total) {
        stream.drainHandler(v -> pump(total, frameBytes, bench));
      } else {
        stream.drainHandler(null);
        stream.flush();
      }
    }
  }

  private Buffer frame(long index, int frameBytes) {
    int perSecond = TONE.length / frameBytes;
    int at = (int) (index % perSecond) * frameBytes;
    // a view of the tone, not a copy (Vert.x 5's getBuffer copies): the frame's production is the
    // application's work, not the client's, and was a quarter of the event loops' samples
    // (peer-bench.mjs passes @livekit/agents views too)
    return tone.slice(at, at + frameBytes);
  }

  /** CRC32 of the first {@code frames} frames of the tone. */
  static long expectedChecksum(long frames, int frameBytes) {
    CRC32 crc = new CRC32();
    int perSecond = TONE.length / frameBytes;
    long whole = frames / perSecond;
    for (long s = 0; s < whole; s++) {
      crc.update(TONE);
    }
    crc.update(TONE, 0, (int) (frames % perSecond) * frameBytes);
    return crc.getValue();
  }

  /** Ends every stream, waits for it to close, and checks its last final against what was written. */
  private void endAll(List<Context> loops, List<List<Tracked>> perLoop, int frameBytes, JsonObject result)
      throws Exception {
    List<Future<Void>> ends = new ArrayList<>();
    for (int l = 0; l < loops.size(); l++) {
      List<Tracked> mine = perLoop.get(l);
      ends.add(join(onContext(loops.get(l), () -> {
        List<Future<Void>> fs = new ArrayList<>();
        for (Tracked t : mine) {
          t.expectedBytes = t.frames * frameBytes;
          fs.add(t.stream.end().otherwiseEmpty());
        }
        return Future.join(fs).<Void>mapEmpty();
      })));
    }
    Future.join(ends).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    int streams = 0;
    int complete = 0;
    long finals = 0;
    long bytes = 0;
    for (List<Tracked> mine : perLoop) {
      for (Tracked t : mine) {
        streams++;
        finals += t.finals;
        bytes += t.expectedBytes;
        if (t.lastTotalBytes == t.expectedBytes
            && t.lastTotalChecksum == expectedChecksum(t.frames, frameBytes)) {
          complete++;
        }
      }
    }
    result.put("streams", streams).put("streamsWithEveryByte", complete).put("finals", finals)
        .put("bytesWritten", bytes);
  }

  private void awaitConnected(List<Tracked> all) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (all.stream().allMatch(t -> t.stream.state() == StreamState.CONNECTED)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("streams not connected within 90 s");
  }

  /**
   * One context per event loop: the contexts of a verticle deployed once per loop, as an
   * application spreads its streams ({@code getOrCreateContext} off Vert.x is sticky per thread).
   */
  private List<Context> eventLoops() {
    if (eventLoops == null) {
      List<Context> contexts = java.util.Collections.synchronizedList(new ArrayList<>());
      join(vertx.deployVerticle(() -> new io.vertx.core.AbstractVerticle() {
        @Override
        public void start() {
          contexts.add(context);
        }
      }, new io.vertx.core.DeploymentOptions().setInstances(2 * Runtime.getRuntime().availableProcessors())));
      eventLoops = List.copyOf(contexts);
    }
    return eventLoops;
  }

  private static <T> Future<T> onContext(Context context, java.util.concurrent.Callable<T> action) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      try {
        promise.complete(action.call());
      } catch (Exception e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  private static <T> T join(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- CPU

  private record Snapshot(long process, long eventLoops, long otherThreads, long gcCount, long gcMillis,
      Map<String, Long> nativeThreads) {
  }

  /**
   * CPU nanoseconds per kind of thread, from {@code /proc/self/task/}: GC and JIT compiler threads
   * are not Java threads, so {@code ThreadMXBean} cannot tell them apart. Empty off Linux.
   */
  private static Map<String, Long> nativeThreadCpu() {
    Map<String, Long> groups = new HashMap<>();
    File[] tasks = new File("/proc/self/task").listFiles();
    if (tasks == null) {
      return groups;
    }
    for (File task : tasks) {
      try {
        String stat = java.nio.file.Files.readString(new File(task, "stat").toPath());
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        groups.merge(threadKind(comm), ticks * 10_000_000L, Long::sum);
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

  private Snapshot snapshot() {
    long loops = 0;
    long others = 0;
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      if (info.getThreadName().startsWith("vert.x-eventloop")) {
        loops += cpu;
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
    return new Snapshot(os.getProcessCpuTime(), loops, others, count, millis, nativeThreadCpu());
  }

  private JsonObject cpu(Snapshot a, Snapshot b, double audioSeconds) {
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
        .put("gcCollections", b.gcCount - a.gcCount)
        .put("gcPauseMs", b.gcMillis - a.gcMillis);
  }

  // ---------------------------------------------------------------- peer

  /** Runs the same measurement with the Node peer, prints its figures and returns them. */
  private JsonObject peer(String mode, int streams, int frameMs) throws IOException, InterruptedException {
    String nodeDir = args.getOrDefault("node-dir", "scripts/.node");
    ProcessBuilder pb = new ProcessBuilder("node", "scripts/peer-bench.mjs")
        .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/bench-peer.log")));
    Map<String, String> env = pb.environment();
    env.put("LK_NODE_DIR", new File(nodeDir).getAbsolutePath());
    env.put("GATEWAY_BASE_URL", "http://127.0.0.1:" + port + "/v1");
    env.put("LIVEKIT_API_KEY", KEY);
    env.put("LIVEKIT_API_SECRET", SECRET);
    env.put("MODE", mode);
    env.put("STREAMS", String.valueOf(streams));
    env.put("FRAME_MS", String.valueOf(frameMs));
    env.put("WARMUP", args.getOrDefault("warmup", "10"));
    env.put("SECONDS", args.getOrDefault("seconds", "20"));
    env.put("AUDIO_SECONDS", args.getOrDefault("audio-seconds", "20"));
    env.put("ROUNDS", args.getOrDefault("rounds", streams == 1 ? "20" : "1"));
    if (mode.equals("eou")) {
      env.put("SECONDS", args.getOrDefault("seconds", "5"));
    }
    Process node = pb.start();
    String last = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("{")) {
          last = line;
        } else {
          System.out.println("  node: " + line);
        }
      }
    }
    if (!node.waitFor(60, TimeUnit.SECONDS)) {
      node.destroy();
    }
    JsonObject theirs = last != null ? new JsonObject(last)
        : new JsonObject().put("error", "the Node peer printed no result; see target/bench-peer.log");
    print("@livekit/agents (Node " + theirs.getString("node", "?") + ")", theirs);
    return theirs;
  }

  // ---------------------------------------------------------------- report

  private static void print(String who, JsonObject r) {
    System.out.println(who + ": " + r.getString("work", ""));
    if (r.containsKey("error")) {
      System.out.println("  error: " + r.getString("error"));
      return;
    }
    if (r.containsKey("xRealTime")) {
      System.out.printf(Locale.ROOT, "  %.0fx real time (%.2f s wall for %.0f audio seconds)%n",
          r.getDouble("xRealTime"), r.getDouble("wallSeconds"), r.getDouble("audioSeconds"));
    }
    if (r.containsKey("eventLoopMsPerAudioSecond")) {
      System.out.printf(Locale.ROOT, "  CPU per audio second %.3f ms = event loops %.3f + other Java threads %.3f"
              + " + GC and VM %.3f (%.0f%% of the process); %d collections, %d ms paused%n",
          r.getDouble("cpuMsPerAudioSecond"), r.getDouble("eventLoopMsPerAudioSecond"),
          r.getDouble("otherThreadsMsPerAudioSecond"), r.getDouble("gcVmMsPerAudioSecond"),
          100 * r.getDouble("gcVmShare"), r.getLong("gcCollections"), r.getLong("gcPauseMs"));
    } else if (r.containsKey("cpuMsPerAudioSecond")) {
      System.out.printf(Locale.ROOT, "  CPU per audio second %.3f ms (whole process)%n", r.getDouble("cpuMsPerAudioSecond"));
    }
    if (r.containsKey("threadKindsMsPerAudioSecond")) {
      StringBuilder kinds = new StringBuilder();
      r.getJsonObject("threadKindsMsPerAudioSecond").forEach(e -> kinds.append(String.format(Locale.ROOT,
          "%s%s %.3f", kinds.length() == 0 ? "" : ", ", e.getKey(), ((Number) e.getValue()).doubleValue())));
      System.out.println("  by thread kind (/proc, 10 ms ticks), ms per audio second: " + kinds);
    }
    if (r.containsKey("eouSamples")) {
      if (r.getInteger("eouSamples", 0) == 0) {
        System.out.println("  end of utterance (session.finalize at the gateway -> final delivered): no sample"
            + " (no final answered a finalize in time)");
      } else {
        System.out.printf(Locale.ROOT, "  end of utterance (session.finalize at the gateway -> final delivered): p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n",
            number(r, "eouP50Ms"), number(r, "eouP99Ms"), number(r, "eouMaxMs"), r.getInteger("eouSamples", 0));
      }
    }
    if (r.containsKey("maxLagMs")) {
      System.out.printf(Locale.ROOT, "  keeps real time: %s (max write lag %.1f ms, max buffered %d bytes)%n",
          r.getBoolean("keepsRealTime", false) ? "yes" : "NO", r.getDouble("maxLagMs"),
          r.getLong("maxBufferedBytes", -1L));
    }
    System.out.printf(Locale.ROOT, "  %sstreams whose last final counts every byte (CRC32): %d of %d%s%n",
        r.containsKey("finals") ? "finals: " + r.getLong("finals") + "; " : "",
        r.getInteger("streamsWithEveryByte", 0), r.getInteger("streams", 0),
        r.containsKey("endToLastFinalMs") ? String.format(Locale.ROOT, "; end -> all closed %.0f ms",
            r.getDouble("endToLastFinalMs")) : "");
  }

  /** Epoll for {@code --transport epoll}; NIO (Vertx.vertx()'s) by default. */
  static boolean nativeTransport(Map<String, String> args) {
    String t = args.getOrDefault("transport", "nio");
    return switch (t) {
      case "epoll", "native" -> true;
      case "nio" -> false;
      default -> throw new IllegalArgumentException("--transport must be nio or epoll, got " + t);
    };
  }

  /** The number under {@code key}, or NaN when it is missing or null (a peer with no sample). */
  private static double number(JsonObject r, String key) {
    return r.getValue(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static void ratio(String what, double numerator, double denominator) {
    if (Double.isNaN(numerator) || Double.isNaN(denominator) || denominator == 0) {
      System.out.printf(Locale.ROOT, "RATIO %s: none (a side has no figure)%n", what);
      return;
    }
    System.out.printf(Locale.ROOT, "RATIO %s: %.1fx in favour of this project%n", what, numerator / denominator);
  }

  private static long max(long[] values) {
    long m = 0;
    for (long v : values) {
      m = Math.max(m, v);
    }
    return m;
  }

  // ---------------------------------------------------------------- gateway

  private int startGateway() throws IOException {
    gateway = BenchGatewayProcess.start(args.getOrDefault("gateway-instances", "1"),
        args.getOrDefault("endpoint-seconds", "5"), "false");
    return gateway.port();
  }

  private static byte[] tone() {
    byte[] pcm = new byte[RATE * 2];
    for (int i = 0; i < RATE; i++) {
      short s = (short) Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / RATE));
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    return pcm;
  }
}
