package org.voicerelay.stt.bench;

import static org.voicerelay.stt.bench.BenchArgs.intArg;

import com.sun.management.OperatingSystemMXBean;
import io.netty.buffer.Unpooled;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;
import org.voicerelay.stt.bus.AudioCodec;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SttOptions;

/**
 * The load and throughput benchmarks: this JVM runs the {@link SttVerticle} (the process measured)
 * and the load generator; {@link BenchGatewayMain} runs the gateway with the counting engine in a
 * second JVM. Run through {@code scripts/bench}; prints figures, asserts nothing but reports
 * whether every byte arrived.
 *
 * <pre>
 * load:       --mode load --sessions N --seconds S [--ramp-seconds 20] [--warmup R+10] [--chunk-ms 100] [--instances 1]
 *             [--max-admissions-per-second 50 (the verticle's default; 0: no limit)] [--profile]
 *             [--stalls (every event-loop task over 10 ms logged with its stack, and the watchdog of
 *             LagTimeline: the event loop's queue and run-queue wait)]
 * throughput: --mode throughput --sessions N --audio-seconds A [--window 16] [--chunk-ms 100]
 * both:       [--codec local|builtin]
 * </pre>
 *
 * <p>{@code --codec}: audio goes to the sessions with {@link AudioCodec} ({@code local}, the
 * default: no copy on delivery) or as plain Buffers with Vert.x's built-in codec ({@code builtin},
 * one copy per chunk), so a run can compare the two.
 *
 * <p>Load mode: N sessions are opened over the event bus in waves every 500 ms during the first
 * {@code ramp-seconds} (0: all before any audio), each admitted one streaming from the next tick,
 * so the verticle's admission control sees its real load grow; refused opens are counted
 * ({@code admitted A of N sessions}). Each admitted session is sent {@code chunk-ms} of pcm_s16le at 16 kHz
 * every {@code chunk-ms} by one pacing thread (sessions staggered evenly over the period), W
 * seconds of warm-up, then S seconds measured, then {@code end} for each and the wait for its
 * final transcript. Every 50 ms frame carries the send time (see {@link BenchGatewayMain}). The
 * gateway's counting engine ends an utterance every {@code endpoint-seconds} (default 5) of audio,
 * as a real engine's endpointer does, so each stream's replay buffer holds at most that much.
 * The process CPU is taken from {@code OperatingSystemMXBean.getProcessCpuTime}; the pacing
 * thread's own CPU (building and sending the audio: the application's work, not the verticle's)
 * is measured with {@code ThreadMXBean} and reported apart.
 */
public final class LoadBench {

  private static final int RATE = 16_000;
  private static final String KEY = "benchkey";
  private static final String SECRET = "bench-secret-0123456789abcdef";

  private final Map<String, String> args;
  private final LagTimeline nodeLag = new LagTimeline("verticle");
  private final LagTimeline threadLag = new LagTimeline("plain thread (verticle's JVM)");
  private final String codec;
  /** {@code --relay floor}: {@link FloorRelay} instead of the verticle. */
  private final boolean floor;
  /** How audio is sent: with {@link AudioCodec} or the built-in Buffer codec ({@code --codec}). */
  private final DeliveryOptions audioDelivery;
  private final OperatingSystemMXBean os =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private BenchGatewayProcess gateway;
  private Vertx vertx;

  // per session
  private int n;
  private String eventsPrefix = "app.bench.";
  private JsonObject[] sessions;
  /** Each session's audio address, read once from its open reply. */
  private String[] audioAddresses;
  private long[] bytesSent;
  private CRC32[] crcs;
  private volatile long[] endSentAt;
  private long[] finalAt;
  /** Per session: session.finalize at the gateway -> its final delivered to the events address (us). */
  private long[] finalizeToFinalUs;
  private long[] finalBytes;
  private long[] finalChecksum;
  private CountDownLatch closedLatch;
  /** Indexes of the sessions the verticle admitted, and the refusals of the others by failure code. */
  private int[] admitted;
  private final Map<String, Integer> refusals = new java.util.TreeMap<>();
  private SttVerticle verticle;
  private final AtomicInteger errorEvents = new AtomicInteger();
  private final AtomicInteger reconnectEvents = new AtomicInteger();
  private final AtomicInteger closedEvents = new AtomicInteger();
  /** Load mode: the sessions admitted so far, in order; replaced (never changed) as opens succeed. */
  private volatile int[] active = new int[0];

  private LoadBench(Map<String, String> args) {
    this.args = args;
    this.floor = switch (args.getOrDefault("relay", "verticle")) {
      case "verticle" -> false;
      case "floor" -> true;
      default -> throw new IllegalArgumentException("--relay must be verticle or floor, got " + args.get("relay"));
    };
    this.codec = args.getOrDefault("codec", "local");
    this.audioDelivery = switch (codec) {
      case "local" -> AudioCodec.deliveryOptions();
      case "builtin" -> new DeliveryOptions();
      default -> throw new IllegalArgumentException("--codec must be local or builtin, got " + codec);
    };
  }

  static final String USAGE = String.join("\n",
      "usage: LoadBench --mode load --sessions N [--seconds 30] [--ramp-seconds 20] [--warmup RAMP+10] [--chunk-ms 100]",
      "                 [--instances 1] [--max-admissions-per-second 50] [--relay verticle|floor] [--transport epoll|nio]",
      "                 [--codec local|builtin] [--endpoint-seconds 5] [--gateway-instances 1] [--profile] [--stalls]",
      "       LoadBench --mode throughput --sessions N [--audio-seconds 60] [--window 16] [--chunk-ms 100]",
      "                 [--warmup-audio-seconds A] [--instances 1] [--transport epoll|nio] [--codec local|builtin] [--profile]",
      "  --relay floor: the bare relay (FloorRelay) instead of SttVerticle, for the ratios to the floor",
      "  --warmup must be at least --ramp-seconds + 5 (unless --ramp-seconds 0)");

  private static final java.util.Set<String> OPTIONS = java.util.Set.of("mode", "sessions", "seconds",
      "ramp-seconds", "warmup", "chunk-ms", "instances", "max-admissions-per-second", "relay", "transport", "codec",
      "endpoint-seconds", "gateway-instances", "profile", "stalls", "audio-seconds", "window",
      "warmup-audio-seconds");

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = BenchArgs.parseOrExit(argv, OPTIONS, USAGE);
    LoadBench bench;
    try {
      bench = new LoadBench(args);
      bench.validate();
    } catch (IllegalArgumentException e) {
      BenchArgs.exitWithUsage(e.getMessage(), USAGE);
      return;
    }
    try {
      if ("throughput".equals(args.getOrDefault("mode", "load"))) {
        bench.throughput();
      } else {
        bench.load();
      }
    } finally {
      BenchGatewayProcess.stop(bench.vertx, bench.gateway);
    }
    System.exit(0);
  }

  /** Refuses, before anything starts, what the run could not do. */
  private void validate() {
    String mode = args.getOrDefault("mode", "load");
    if (!mode.equals("load") && !mode.equals("throughput")) {
      throw new IllegalArgumentException("--mode must be load or throughput, got " + mode);
    }
    for (String name : new String[] {"sessions", "seconds", "ramp-seconds", "warmup", "chunk-ms", "instances",
        "max-admissions-per-second", "audio-seconds", "window", "gateway-instances", "warmup-audio-seconds"}) {
      if (args.containsKey(name)) {
        int v = BenchArgs.intArg(args, name, 0);
        if (v < 0 || (v == 0 && !name.equals("ramp-seconds") && !name.equals("max-admissions-per-second")
            && !name.equals("warmup") && !name.equals("warmup-audio-seconds"))) {
          throw new IllegalArgumentException("--" + name + " must be a positive whole number, got " + args.get(name));
        }
      }
    }
    transport();
    int ramp = intArg(args, "ramp-seconds", 20);
    int warmup = intArg(args, "warmup", ramp + 10);
    if (mode.equals("load") && ramp > 0 && warmup < ramp + 5) {
      throw new IllegalArgumentException("--warmup (" + warmup + " s) must be at least --ramp-seconds + 5 ("
          + (ramp + 5) + " s): the measured window starts after every open");
    }
    if (floor && mode.equals("throughput")) {
      throw new IllegalArgumentException("--relay floor is for --mode load");
    }
  }

  /** Epoll (the node's default, {@code scripts/node}) unless {@code --transport nio} or BENCH_TRANSPORT=nio. */
  private boolean transport() {
    String t = args.getOrDefault("transport", BenchGatewayMain.nativeTransport() ? "epoll" : "nio");
    return switch (t) {
      case "epoll", "native" -> true;
      case "nio" -> false;
      default -> throw new IllegalArgumentException("--transport must be epoll or nio, got " + t);
    };
  }

  // ---------------------------------------------------------------- setup

  private int startGateway() throws IOException {
    gateway = BenchGatewayProcess.start(args.getOrDefault("gateway-instances", "1"),
        args.getOrDefault("endpoint-seconds", "5"));
    return gateway.port();
  }

  private void startVerticle(int port, int maxSessions) {
    io.vertx.core.VertxOptions vertxOptions = new io.vertx.core.VertxOptions()
        .setPreferNativeTransport(transport());
    vertx = args.containsKey("stalls")
        // every event-loop task over 10 ms is logged with its stack (target/bench.log)
        ? Vertx.vertx(vertxOptions
            .setBlockedThreadCheckInterval(2).setBlockedThreadCheckIntervalUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
            .setMaxEventLoopExecuteTime(10).setMaxEventLoopExecuteTimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
            .setWarningExceptionTime(10).setWarningExceptionTimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS))
        : Vertx.vertx(vertxOptions);
    if (args.containsKey("stalls")) {
      threadLag.startThread(nodeLag); // reads /proc every millisecond: only when asked
    }
    System.err.println("bench: verticle's transport " + (vertx.isNativeTransportEnabled() ? "native" : "NIO"));
    int instances = intArg(args, "instances", 1);
    if (floor) {
      String base = "http://127.0.0.1:" + port + "/v1";
      boolean[] first = {true};
      join(vertx.deployVerticle(() -> {
        FloorRelay relay = new FloorRelay(base, KEY, SECRET, RATE) {
          @Override
          public void start() {
            if (first[0]) {
              first[0] = false;
              nodeLag.start(vertx);
            }
            super.start();
          }
        };
        return relay;
      }, new DeploymentOptions().setInstances(instances)));
      AudioCodec.register(vertx);
      return;
    }
    // the throughput mode opens every session at once: the admission rate is not what it measures
    int admissionRate = intArg(args, "max-admissions-per-second",
        "throughput".equals(args.getOrDefault("mode", "load")) ? 0 : SttVerticleOptions.DEFAULT_MAX_ADMISSIONS_PER_SECOND);
    SttVerticleOptions options = new SttVerticleOptions()
        .setMaxSessions(maxSessions + 10)
        .setMaxAdmissionsPerSecond(admissionRate)
        .setIdleTimeoutMs(600_000)
        .setClosedSessionLingerMs(1_000)
        .setShutdownTimeoutMs(10_000)
        .setClient(new SttOptions().setBaseUrl("http://127.0.0.1:" + port + "/v1")
            .setApiKey(KEY).setApiSecret(SECRET)
            .setFinalQuietMs(100)
            .setConnectOptions(new ConnectOptions().setTimeoutMs(60_000).setMaxRetry(3)));
    join(vertx.deployVerticle(() -> {
      boolean probe = verticle == null;
      SttVerticle v = new SttVerticle(options) {
        @Override
        public Future<?> start() {
          if (probe) {
            nodeLag.start(vertx); // on this instance's event loop
          }
          return super.start();
        }
      };
      verticle = v;
      return v;
    }, new DeploymentOptions().setInstances(instances)));
    AudioCodec.register(vertx);
  }

  private static <T> T join(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }

  private void prepareSessions(int count) {
    n = count;
    sessions = new JsonObject[n];
    audioAddresses = new String[n];
    bytesSent = new long[n];
    crcs = new CRC32[n];
    endSentAt = new long[n];
    finalAt = new long[n];
    finalizeToFinalUs = new long[n];
    finalBytes = new long[n];
    finalChecksum = new long[n];
    refusals.clear();
    for (int i = 0; i < n; i++) {
      crcs[i] = new CRC32();
      finalBytes[i] = -1;
    }
  }

  /** Registers the events consumer of each session, before any is opened. */
  private void listenToEvents() {
    List<Future<?>> consumers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int s = i;
      consumers.add(vertx.eventBus().<JsonObject>consumer(eventsPrefix + i, m -> onEvent(s, m.body()))
          .completion());
    }
    join(Future.all(consumers));
  }

  /**
   * Registers the events consumer of each session, then opens the sessions, 200 at a time; the
   * sessions the verticle refuses (503 overloaded, 429) are counted and left out of the run.
   */
  private void openSessions() {
    listenToEvents();
    for (int from = 0; from < n; from += 200) {
      List<Future<?>> opened = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 200); i++) {
        int s = i;
        opened.add(vertx.eventBus().<JsonObject>request("stt.open", new JsonObject().put("sampleRate", RATE)
                .put("eventsAddress", eventsPrefix + i), new DeliveryOptions().setSendTimeout(60_000))
            .onSuccess(m -> {
              sessions[s] = m.body();
              audioAddresses[s] = m.body().getString("audioAddress");
            })
            .onFailure(this::countRefusal));
      }
      join(Future.join(opened).otherwiseEmpty());
    }
    admitted = java.util.stream.IntStream.range(0, n).filter(i -> sessions[i] != null).toArray();
    closedLatch = new CountDownLatch(admitted.length);
  }

  /**
   * Opens the sessions in waves every 500 ms over {@code seconds}, while the sessions already
   * admitted stream: the node sees its real load grow and its admission control decides, as it
   * would in a fleet where calls arrive over time. An admitted session starts streaming at the
   * next tick.
   */
  private Thread rampOpens(int seconds) {
    listenToEvents();
    int waves = Math.max(1, seconds * 2);
    Thread opener = new Thread(() -> {
      long start = System.nanoTime();
      List<Future<?>> all = new ArrayList<>();
      for (int w = 0; w < waves; w++) {
        long due = start + TimeUnit.MILLISECONDS.toNanos(500L * w);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        for (int i = w * n / waves; i < (w + 1) * n / waves; i++) {
          int s = i;
          all.add(vertx.eventBus().<JsonObject>request("stt.open", new JsonObject().put("sampleRate", RATE)
                  .put("eventsAddress", eventsPrefix + i), new DeliveryOptions().setSendTimeout(60_000))
              .onSuccess(m -> {
                sessions[s] = m.body();
                audioAddresses[s] = m.body().getString("audioAddress");
                synchronized (this) {
                  int[] grown = Arrays.copyOf(active, active.length + 1);
                  grown[grown.length - 1] = s;
                  active = grown;
                }
              })
              .onFailure(this::countRefusal));
        }
      }
      join(Future.join(all).otherwiseEmpty());
    }, "bench-opener");
    opener.start();
    return opener;
  }

  private void countRefusal(Throwable err) {
    String code = err instanceof io.vertx.core.eventbus.ReplyException e && e.failureCode() > 0
        ? e.failureCode() + " " + org.voicerelay.stt.bus.BusErrorCode.name(e.failureCode()) + overloadCause(e)
        : String.valueOf(err.getMessage());
    synchronized (refusals) {
      refusals.merge(code, 1, Integer::sum);
    }
  }

  /** Why a 503 was answered, from the wording of its message (docs/operations.md). */
  private static String overloadCause(io.vertx.core.eventbus.ReplyException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("(maxAdmissionsPerSecond)") ? " (admission rate)"
        : m.contains("event loops lag") ? " (event-loop lag)"
        : m.contains("audio budget") ? " (audio budget)"
        : m.contains("buffer") ? " (buffered audio)" : "";
  }

  /** {@code admitted A of N sessions (refused: 503 overloaded (admission rate) x K, ...)}. */
  private String admissionLine() {
    StringBuilder b = new StringBuilder().append("admitted ").append(admitted.length).append(" of ").append(n)
        .append(" sessions");
    if (!refusals.isEmpty()) {
      b.append(" (refused: ");
      refusals.forEach((code, count) -> b.append(code).append(" x ").append(count).append(", "));
      b.setLength(b.length() - 2);
      b.append(')');
    }
    return b.toString();
  }

  private void onEvent(int s, JsonObject event) {
    switch (event.getString("type")) {
      case "final_transcript" -> {
        long now = BenchGatewayMain.nowMicros();
        // the bus event's metadata, or the gateway's own message as the floor relay forwards it
        JsonObject meta = event.containsKey("alternatives")
            ? event.getJsonArray("alternatives").getJsonObject(0).getJsonObject("metadata")
            : event.getJsonObject("extra");
        if (endSentAt[s] != 0 && finalAt[s] == 0) {
          finalAt[s] = System.nanoTime();
        }
        if (meta != null && meta.containsKey(BenchGatewayMain.FINALIZE_AT)) {
          finalizeToFinalUs[s] = now - meta.getLong(BenchGatewayMain.FINALIZE_AT);
        }
        if (meta != null) {
          finalBytes[s] = meta.getLong("totalBytes");
          finalChecksum[s] = meta.getLong("totalChecksum");
        }
      }
      case "error" -> errorEvents.incrementAndGet();
      case "reconnecting" -> reconnectEvents.incrementAndGet();
      case "closed" -> {
        closedEvents.incrementAndGet();
        if (closedLatch != null) {
          closedLatch.countDown();
        }
      }
      default -> {
      }
    }
  }

  /** Waits until every session's stream is connected to the gateway. */
  private void awaitConnected() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      List<Future<Message<JsonObject>>> status = new ArrayList<>();
      for (int i : admitted) {
        JsonObject s = sessions[i];
        status.add(vertx.eventBus().request(s.getString("controlAddress"), new JsonObject().put("action", "status")));
      }
      join(Future.all(status));
      long connected = status.stream()
          .filter(f -> "CONNECTED".equals(f.result().body().getJsonObject("stream").getString("state"))).count();
      if (connected == admitted.length) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("not every session connected within 120 s");
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

  // ---------------------------------------------------------------- load

  private void load() throws Exception {
    int count = intArg(args, "sessions", 100);
    int seconds = intArg(args, "seconds", 30);
    int ramp = intArg(args, "ramp-seconds", 20);
    int warmup = intArg(args, "warmup", ramp + 10);
    int chunkMs = intArg(args, "chunk-ms", 100);
    if (ramp > 0 && warmup < ramp + 5) {
      throw new IllegalArgumentException("--warmup must be at least --ramp-seconds + 5");
    }
    int port = startGateway();
    startVerticle(port, count);
    prepareSessions(count);
    long heap0 = heapAfterGc();
    long rss0 = rssBytes();
    long opening = System.nanoTime();
    String loadAfterOpens = "";
    double openSeconds = 0;
    long heapIdle = 0;
    long rssIdle = 0;
    Thread opener = null;
    if (ramp == 0) {
      openSessions();
      active = admitted;
      loadAfterOpens = nodeLoad();
      awaitConnected();
      openSeconds = (System.nanoTime() - opening) / 1e9;
      heapIdle = heapAfterGc();
      rssIdle = rssBytes();
    } else {
      opener = rampOpens(ramp);
    }

    int chunkBytes = RATE * 2 * chunkMs / 1000;
    int frameBytes = RATE * 2 * 50 / 1000;
    byte[] pattern = new byte[chunkBytes];
    new java.util.Random(42).nextBytes(pattern);
    long period = TimeUnit.MILLISECONDS.toNanos(chunkMs);
    long totalTicks = (long) (warmup + seconds) * 1000 / chunkMs;
    long warmTicks = (long) warmup * 1000 / chunkMs;
    long[] measure = new long[6]; // cpu0, sender0, wall0, cpu1, sender1, wall1
    long[] maxLateNs = {0};
    Profiler profiler = args.containsKey("profile") ? new Profiler() : null;
    Map<String, Long> threadCpu0 = new HashMap<>();
    Map<String, Long> threadCpu1 = new HashMap<>();
    long[][] allocated = new long[2][];
    MachineCpu[] machine = new MachineCpu[2];
    StealTimeline steal = new StealTimeline();
    Thread sender = new Thread(() -> {
      long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
      for (long k = 0; k <= totalTicks; k++) {
        long tickStart = start + k * period;
        long untilTick;
        while ((untilTick = tickStart - System.nanoTime()) > 1_000_000) {
          LockSupport.parkNanos(untilTick - 1_000_000);
        }
        int[] now = active;
        if (k == warmTicks) {
          threadCpu0.putAll(threadCpu());
          allocated[0] = allocatedBytes();
          measure[0] = os.getProcessCpuTime();
          measure[1] = threads.getCurrentThreadCpuTime();
          measure[2] = System.nanoTime();
          machine[0] = MachineCpu.now();
          steal.start();
          System.err.println("bench: measured window starts");
          try {
            gateway.command("reset");
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
          if (profiler != null) {
            profiler.start();
          }
        }
        if (k == totalTicks) {
          measure[3] = os.getProcessCpuTime();
          measure[4] = threads.getCurrentThreadCpuTime();
          measure[5] = System.nanoTime();
          machine[1] = MachineCpu.now();
          try {
            steal.stop();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          System.err.println("bench: measured window ends");
          nodeLag.print(BenchGatewayMain.nowMicros() - (measure[5] - measure[2]) / 1000);
          if (args.containsKey("stalls")) {
            threadLag.print(BenchGatewayMain.nowMicros() - (measure[5] - measure[2]) / 1000);
          }
          threadCpu1.putAll(threadCpu());
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
          if (k == totalTicks) {
            endSentAt[i] = System.nanoTime();
            vertx.eventBus().request(sessions[i].getString("controlAddress"), new JsonObject().put("action", "end"),
                new DeliveryOptions().setSendTimeout(120_000));
            continue;
          }
          byte[] pcm = pattern.clone();
          long micros = BenchGatewayMain.nowMicros();
          for (int f = 0; f + 12 <= pcm.length; f += frameBytes) {
            putLongLe(pcm, f, micros);
            putIntLe(pcm, f + 8, BenchGatewayMain.MAGIC);
          }
          crcs[i].update(pcm);
          bytesSent[i] += pcm.length;
          // wrapped, not Buffer.buffer(pcm), which copies the array once more (Vert.x 5)
          vertx.eventBus().send(audioAddresses[i], BufferInternal.buffer(Unpooled.wrappedBuffer(pcm)), audioDelivery);
        }
      }
    }, "bench-sender");
    sender.start();
    if (opener != null) {
      opener.join();
      loadAfterOpens = nodeLoad();
      openSeconds = (System.nanoTime() - opening) / 1e9;
    }
    sender.join();
    admitted = active;
    JsonObject gw = gateway.command("report");
    long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (closedEvents.get() < admitted.length && System.nanoTime() < closeDeadline) {
      Thread.sleep(100);
    }
    boolean allClosed = closedEvents.get() >= admitted.length;

    double wall = (measure[5] - measure[2]) / 1e9;
    double cpu = (measure[3] - measure[0]) / 1e9;
    double senderCpu = (measure[4] - measure[1]) / 1e9;
    int m = Math.max(1, admitted.length);
    double audioSeconds = (double) m * seconds;
    long[] endToFinal = new long[m];
    int complete = 0;
    for (int a = 0; a < admitted.length; a++) {
      int i = admitted[a];
      endToFinal[a] = finalAt[i] == 0 ? Long.MAX_VALUE : finalAt[i] - endSentAt[i];
      if (finalBytes[i] == bytesSent[i] && finalChecksum[i] == crcs[i].getValue()) {
        complete++;
      }
    }
    Arrays.sort(endToFinal);
    long[] eou = new long[m];
    int eouCount = 0;
    for (int i : admitted) {
      if (finalizeToFinalUs[i] > 0) {
        eou[eouCount++] = finalizeToFinalUs[i];
      }
    }
    Arrays.sort(eou, 0, eouCount);
    String uptime = Files.readString(Path.of("/proc/loadavg")).trim();
    System.out.printf(Locale.ROOT, "%n== load: %d sessions, %d s measured after %d s warm-up, %d ms bus chunks, %d %s instance(s), codec %s, %s; window ended %s%n",
        n, seconds, warmup, chunkMs, intArg(args, "instances", 1), floor ? "FLOOR relay" : "SttVerticle", codec,
        vertx.isNativeTransportEnabled() ? "epoll" : "NIO",
        java.time.LocalTime.now(java.time.ZoneOffset.UTC).minusNanos(System.nanoTime() - measure[5]).withNano(0) + " UTC");
    System.out.printf(Locale.ROOT, "admission               %s%n", admissionLine());
    System.out.printf(Locale.ROOT, "node load after opens   %s%n", loadAfterOpens);
    System.out.printf(Locale.ROOT, "node load at the end    %s%n", nodeLoad());
    System.out.printf(Locale.ROOT, ramp > 0 ? "opens ramped over       %.1f s (while the admitted sessions stream)%n"
        : "open+connect            %.1f s%n", openSeconds);
    System.out.printf(Locale.ROOT, "verticle process CPU    %.2f s in %.1f s wall = %.2f cores; minus the pacing thread (%.2f s): %.2f cores%n",
        cpu, wall, cpu / wall, senderCpu, (cpu - senderCpu) / wall);
    System.out.printf(Locale.ROOT, "CPU by thread group     %s%n", cpuByGroup(threadCpu0, threadCpu1, cpu));
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
        percentile(eou, eouCount, 0.5) / 1000, percentile(eou, eouCount, 0.99) / 1000, eouCount, chunkMs);
    if (ramp == 0) {
      System.out.printf(Locale.ROOT, "idle session memory     heap %.1f KiB/session (%.1f -> %.1f MiB after GC), RSS %.1f KiB/session%n",
          (heapIdle - heap0) / 1024.0 / m, heap0 / 1048576.0, heapIdle / 1048576.0, (rssIdle - rss0) / 1024.0 / m);
    }
    System.out.printf(Locale.ROOT, "pacing                  max lateness of a send %.2f ms%n", maxLateNs[0] / 1e6);
    System.out.printf(Locale.ROOT, "every byte arrived      %d of %d admitted sessions (final totalBytes and CRC32 = sent); all closed: %s; error events %d, reconnects %d%n",
        complete, admitted.length, allClosed, errorEvents.get(), reconnectEvents.get());
    System.out.printf(Locale.ROOT, "machine CPU             %s%n", machine[1].since(machine[0]));
    System.out.printf(Locale.ROOT, "late frames and steal   %s%n", steal.report(gw.getJsonObject("timeline")));
    System.out.printf(Locale.ROOT, "loadavg                 %s%n", uptime);
    // one line for scripts/bench's ratios to the floor
    System.out.printf(Locale.ROOT, "RESULT relay=%s offered=%d admitted=%d cpu_ms_per_audio_s=%.4f p50_ms=%.3f p99_ms=%.3f eou_p50_ms=%.3f eou_p99_ms=%.3f every_byte=%d pacing_late_ms=%.2f%n",
        floor ? "floor" : "verticle", n, admitted.length, (cpu - senderCpu) * 1000 / audioSeconds,
        gw.getLong("p50us") / 1000.0, gw.getLong("p99us") / 1000.0,
        percentile(eou, eouCount, 0.5) / 1000, percentile(eou, eouCount, 0.99) / 1000, complete, maxLateNs[0] / 1e6);
    if (profiler != null) {
      profiler.print();
    }
  }

  /** The node's load as it reports it; the floor has none. */
  private String nodeLoad() {
    return floor ? "(the floor relay has no admission control)" : verticle.nodeLoad().status().encode();
  }

  private static double percentile(long[] sorted, int count, double p) {
    if (count == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(count - 1, Math.max(0, (int) Math.ceil(count * p) - 1))];
  }

  /** CPU time (ns) of every live Java thread, by "name#id". */
  private Map<String, Long> threadCpu() {
    Map<String, Long> cpu = new HashMap<>();
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long t = threads.getThreadCpuTime(info.getThreadId());
        if (t >= 0) {
          cpu.put(info.getThreadName() + "#" + info.getThreadId(), t);
        }
      }
    }
    return cpu;
  }

  /**
   * Heap bytes allocated so far by the event loops and by the pacing thread. A local event-bus
   * delivery copies the body on the sending thread ({@code MessageCodec.transform} in Vert.x 5),
   * so the built-in Buffer codec's copy shows in the pacing thread's figure.
   */
  private long[] allocatedBytes() {
    return new long[] {HeapAllocation.byThreads("vert.x-eventloop"), HeapAllocation.byThreads("bench-sender")};
  }


  /**
   * The measured window's CPU seconds by group: event loops, the pacing thread, other Java threads
   * (JIT compilers, Vert.x's checker, ...), and the rest of the process (GC and VM threads, which
   * are not Java threads).
   */
  private static String cpuByGroup(Map<String, Long> before, Map<String, Long> after, double processCpu) {
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

  // ---------------------------------------------------------------- throughput

  private void throughput() throws Exception {
    int count = intArg(args, "sessions", 1);
    int audioSeconds = intArg(args, "audio-seconds", 60);
    int window = intArg(args, "window", 16);
    int chunkMs = intArg(args, "chunk-ms", 100);
    int port = startGateway();
    startVerticle(port, count);
    int warmup = intArg(args, "warmup-audio-seconds", Math.min(audioSeconds, Math.max(10, 6000 / count)));
    if (warmup > 0) {
      // an unmeasured pass first, so the figures are of compiled code, not of the JIT at work
      eventsPrefix = "app.bench.warmup.";
      throughputPass(count, warmup, window, chunkMs, null);
      eventsPrefix = "app.bench.";
      errorEvents.set(0);
    }
    Profiler profiler = args.containsKey("profile") ? new Profiler() : null;
    throughputPass(count, audioSeconds, window, chunkMs, profiler);
  }

  private void throughputPass(int count, int audioSeconds, int window, int chunkMs, Profiler profiler)
      throws Exception {
    prepareSessions(count);
    openSessions();
    awaitConnected();
    byte[] pcm = new byte[RATE * 2 * audioSeconds];
    new java.util.Random(7).nextBytes(pcm);
    CRC32 crc = new CRC32();
    crc.update(pcm);
    int chunkBytes = RATE * 2 * chunkMs / 1000;
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    gateway.command("reset");
    if (profiler != null) {
      profiler.start();
    }
    for (int i : admitted) {
      int s = i;
      bytesSent[i] = pcm.length;
      crcs[i] = crc;
      vertx.getOrCreateContext().runOnContext(v -> new Windowed(s, pcm, chunkBytes, window).pump());
    }
    boolean allClosed = closedLatch.await(600, TimeUnit.SECONDS);
    long last = 0;
    for (long f : finalAt) {
      last = Math.max(last, f);
    }
    double wall = (last - t0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    if (profiler != null) {
      profiler.stop();
    }
    JsonObject gw = gateway.command("report");
    int complete = 0;
    for (int i : admitted) {
      if (finalBytes[i] == bytesSent[i] && finalChecksum[i] == crcs[i].getValue()) {
        complete++;
      }
    }
    if (profiler == null && eventsPrefix.contains("warmup")) {
      System.out.printf(Locale.ROOT, "(warm-up pass: %d session(s) x %d s of audio in %.2f s)%n", n, audioSeconds, wall);
      return;
    }
    System.out.printf(Locale.ROOT, "%n== throughput: %d session(s) x %d s of audio, %d ms chunks, window %d, %d verticle instance(s), codec %s%n",
        n, audioSeconds, chunkMs, window, intArg(args, "instances", 1), codec);
    System.out.printf(Locale.ROOT, "admission                      %s%n", admissionLine());
    System.out.printf(Locale.ROOT, "audio seconds per wall second  %.0fx real time (%.0f s of audio in %.2f s)%n",
        (double) admitted.length * audioSeconds / wall, (double) admitted.length * audioSeconds, wall);
    System.out.printf(Locale.ROOT, "verticle process CPU           %.2f s = %.2f cores; gateway process %.2f s = %.2f cores%n",
        cpu, cpu / wall, gw.getDouble("cpuSeconds"), gw.getDouble("cpuSeconds") / wall);
    System.out.printf(Locale.ROOT, "every byte arrived             %d of %d admitted sessions; all closed: %s; error events %d%n",
        complete, admitted.length, allClosed, errorEvents.get());
    System.out.printf(Locale.ROOT, "loadavg                        %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    if (profiler != null) {
      profiler.print();
    }
  }

  /** Request/reply audio with a window of unanswered chunks, then {@code end}. */
  private final class Windowed {
    private final int s;
    private final byte[] pcm;
    private final int chunkBytes;
    private final int window;
    private final String address;
    private int offset;
    private int inFlight;

    Windowed(int s, byte[] pcm, int chunkBytes, int window) {
      this.s = s;
      this.pcm = pcm;
      this.chunkBytes = chunkBytes;
      this.window = window;
      this.address = sessions[s].getString("audioAddress");
    }

    void pump() {
      while (inFlight < window && offset < pcm.length) {
        int end = Math.min(pcm.length, offset + chunkBytes);
        Buffer chunk = Buffer.buffer(end - offset).appendBytes(pcm, offset, end - offset);
        offset = end;
        inFlight++;
        vertx.eventBus().request(address, chunk, new DeliveryOptions(audioDelivery).setSendTimeout(120_000)).onComplete(ar -> {
          inFlight--;
          if (ar.failed()) {
            System.err.println("session " + s + ": audio refused: " + ar.cause().getMessage());
            offset = pcm.length;
          }
          pump();
        });
      }
      if (offset >= pcm.length && inFlight == 0 && endSentAt[s] == 0) {
        endSentAt[s] = System.nanoTime();
        vertx.eventBus().request(sessions[s].getString("controlAddress"), new JsonObject().put("action", "end"),
            new DeliveryOptions().setSendTimeout(120_000));
      }
    }
  }

  static void putLongLe(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }

  static void putIntLe(byte[] b, int at, int v) {
    for (int i = 0; i < 4; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
