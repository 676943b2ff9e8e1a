package org.voicerelay.stt.bench;

import static org.voicerelay.stt.bench.BenchArgs.intArg;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.io.IOException;
import java.util.Map;
import org.voicerelay.stt.bus.AdmissionOptions;
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
 *
 * <p>This class reads the options and starts the gateway and the relay under test; the modes are
 * {@link LoadMode} and {@link ThroughputMode}, their sessions {@link BusSessions}.
 */
public final class LoadBench {

  static final int RATE = 16_000;
  private static final String KEY = BenchGatewayMain.API_KEY;
  private static final String SECRET = BenchGatewayMain.API_SECRET;

  final Map<String, String> args;
  final LagTimeline nodeLag = new LagTimeline("verticle");
  final LagTimeline threadLag = new LagTimeline("plain thread (verticle's JVM)");
  final String codec;
  /** {@code --relay floor}: {@link FloorRelay} instead of the verticle. */
  final boolean floor;
  /** How audio is sent: with {@link AudioCodec} or the built-in Buffer codec ({@code --codec}). */
  final DeliveryOptions audioDelivery;
  BenchGatewayProcess gateway;
  Vertx vertx;
  private SttVerticle verticle;

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
      "  --flush-every MS: each session ends a turn (control flush) every MS, staggered (end-of-turn latency)",
      "  interleaved with a second run (scripts/bench floor): [--start-at EPOCH_MS --alternate 0|1 [--block-seconds 5]]",
      "                 [--admitted-file F (writes the count it admitted)] [--follow F (opens as many as F says)]",
      "  --warmup must be at least --ramp-seconds + 5 (unless --ramp-seconds 0)");

  private static final java.util.Set<String> OPTIONS = java.util.Set.of("mode", "sessions", "seconds",
      "ramp-seconds", "warmup", "chunk-ms", "instances", "max-admissions-per-second", "relay", "transport", "codec",
      "endpoint-seconds", "gateway-instances", "profile", "stalls", "audio-seconds", "window",
      "warmup-audio-seconds", "start-at", "alternate", "block-seconds", "admitted-file", "follow", "flush-every");

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
        new ThroughputMode(bench).run();
      } else {
        new LoadMode(bench).run();
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
        "max-admissions-per-second", "audio-seconds", "window", "gateway-instances", "warmup-audio-seconds", "flush-every"}) {
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
    if (args.containsKey("start-at")) {
      if (!mode.equals("load") || ramp == 0) {
        throw new IllegalArgumentException("--start-at (interleaved runs) needs --mode load and --ramp-seconds > 0");
      }
      String phase = args.getOrDefault("alternate", "0");
      if (!phase.equals("0") && !phase.equals("1")) {
        throw new IllegalArgumentException("--alternate must be 0 or 1, got " + phase);
      }
      if (intArg(args, "block-seconds", 5) < 1) {
        throw new IllegalArgumentException("--block-seconds must be at least 1");
      }
      try {
        Long.parseLong(args.get("start-at"));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--start-at must be milliseconds since the epoch, got " + args.get("start-at"));
      }
    }
    if (args.containsKey("flush-every") && intArg(args, "flush-every", 0) < intArg(args, "chunk-ms", 100)) {
      throw new IllegalArgumentException("--flush-every (ms) must be at least --chunk-ms");
    }
    if (args.containsKey("follow") && warmup < 2 * ramp + 5) {
      throw new IllegalArgumentException("--warmup (" + warmup + " s) must be at least twice --ramp-seconds + 5 ("
          + (2 * ramp + 5) + " s) with --follow: its opens start when the run it follows has ramped");
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

  /** Starts the gateway, then the relay under test for up to {@code maxSessions}; its sessions, none open yet. */
  BusSessions startRelay(int maxSessions) throws IOException {
    int port = startGateway();
    startVerticle(port, maxSessions);
    return new BusSessions(vertx);
  }

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
        "throughput".equals(args.getOrDefault("mode", "load")) ? 0 : AdmissionOptions.DEFAULT_MAX_ADMISSIONS_PER_SECOND);
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

  static <T> T join(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }

  /** The node's load as it reports it; the floor has none. */
  String nodeLoad() {
    return floor ? "(the floor relay has no admission control)" : verticle.nodeLoad().status().encode();
  }
}
