package org.voicerelay.stt.bench;

import static org.voicerelay.stt.bench.BenchArgs.intArg;
import static org.voicerelay.stt.bench.ClientReport.number;
import static org.voicerelay.stt.bench.ClientReport.print;
import static org.voicerelay.stt.bench.ClientReport.floorRatio;
import static org.voicerelay.stt.bench.ClientReport.ratio;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.protocol.AccessToken;
import org.voicerelay.stt.protocol.GatewayUrl;

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
 * <p>The modes are {@link RealTimeMode}, {@link FastMode} and {@link EndOfUtteranceMode}, on the
 * streams of {@link ClientStreams}; {@link ClientReport} prints the figures and the ratios.
 */
public final class ClientBench {

  /**
   * A stream keeps real time while no write is later than this and the client never buffers more
   * audio than this: a shared 2-core machine stalls a process for tens of milliseconds now and then.
   */
  static final int KEEPS_REAL_TIME_MS = 250;
  private static final String KEY = BenchGatewayMain.API_KEY;
  private static final String SECRET = BenchGatewayMain.API_SECRET;

  private final Map<String, String> args;
  private BenchGatewayProcess gateway;
  private int port;
  private Vertx vertx;

  private ClientBench(Map<String, String> args) {
    this.args = args;
  }

  static final String USAGE = String.join("\n",
      "usage: ClientBench [--mode realtime|fast|both|eou] [--streams 100] [--frame-ms 20] [--warmup 10]",
      "                   [--seconds 20] [--audio-seconds 20] [--rounds 20] [--transport nio|epoll] [--peer] [--floor]",
      "                   [--gateway-instances 1] [--endpoint-seconds 5] [--node-dir scripts/.node] [--drive tuned|app]",
      "  --transport nio (default): Vertx.vertx() as most applications create it; epoll: preferNativeTransport",
      "  --mode eou: end-of-utterance latency, session.finalize at the gateway -> final transcript delivered;",
      "              --rounds rounds of --streams streams, --seconds of real-time audio each, ends spread over 5 s",
      "  --peer: the same work by @livekit/agents (scripts/peer-bench.mjs) against the same gateway, with ratios",
      "  --floor (realtime): then the same work by FloorStream, the least a client must do with Vert.x's public API,",
      "          on the same Vert.x and gateway, and the ratio to it",
      "  --drive (realtime) tuned (default): one timer per event loop, views of one tone buffer;",
      "          app: as an application, a periodic timer per stream and a fresh Buffer per write (the peer and",
      "          the floor are driven the same way); scripts/bench runs that JVM with no flags (default GC and heap)",
      "  --phases (app drive) spread (default): each stream's timer at its own moment, as calls start; aligned: all",
      "          timers of a loop fire together (one wake-up per 20 ms for all, as the tuned drive's one timer)");

  private static final java.util.Set<String> OPTIONS = java.util.Set.of("mode", "streams", "frame-ms", "warmup",
      "seconds", "audio-seconds", "rounds", "transport", "peer", "gateway-instances", "endpoint-seconds", "node-dir", "floor", "drive", "phases");

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
      if (args.containsKey("floor") && !java.util.Set.of("realtime", "both").contains(args.getOrDefault("mode", "both"))) {
        throw new IllegalArgumentException("--floor measures the real-time mode: use it with --mode realtime or both");
      }
      nativeTransport(args);
      if (!java.util.Set.of("spread", "aligned").contains(args.getOrDefault("phases", "spread"))) {
        throw new IllegalArgumentException("--phases must be spread or aligned, got " + args.get("phases"));
      }
      if (Drive.of(args.getOrDefault("drive", "tuned")) == Drive.APP
          && !args.getOrDefault("mode", "both").equals("realtime")) {
        throw new IllegalArgumentException("--drive app drives the real-time mode: use it with --mode realtime");
      }
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
    SttClient client = SttClient.create(vertx, new SttOptions().setBaseUrl("http://127.0.0.1:" + port + "/v1")
        .setApiKey(KEY).setApiSecret(SECRET)
        .setConnectOptions(new ConnectOptions().setTimeoutMs(60_000)));
    ClientStreams clientStreams = new ClientStreams(vertx, client);
    String mode = args.getOrDefault("mode", "both");
    int streams = intArg(args, "streams", 100);
    int frameMs = intArg(args, "frame-ms", 20);
    boolean peer = args.containsKey("peer");
    Drive drive = Drive.of(args.getOrDefault("drive", "tuned"));
    boolean spread = !args.getOrDefault("phases", "spread").equals("aligned");
    System.out.println(jvmLine());
    System.out.printf(Locale.ROOT, "client bench: %d streams, %d ms writes, 440 Hz at 16 kHz, client's Vert.x on %s; gateway %s"
        + " instance(s), counting engine, final every %s s of audio%n", streams, frameMs,
        vertx.isNativeTransportEnabled() ? "epoll" : "NIO (Vertx.vertx())",
        args.getOrDefault("gateway-instances", "1"), args.getOrDefault("endpoint-seconds", "5"));
    if (mode.equals("realtime") || mode.equals("both")) {
      JsonObject ours = RealTimeMode.run(clientStreams, streams, frameMs, intArg(args, "warmup", 10),
          intArg(args, "seconds", 20), drive, spread);
      print("this project (SttClient)", ours);
      if (args.containsKey("floor")) {
        JsonObject floor = RealTimeMode.run(clientStreams.with(floorStreams()), streams, frameMs,
            intArg(args, "warmup", 10), intArg(args, "seconds", 20), drive, spread);
        print("the floor (FloorStream: Vert.x's public API, the least a client must do)", floor);
        floorRatio("real time, CPU per audio second", ours.getDouble("cpuMsPerAudioSecond"),
            floor.getDouble("cpuMsPerAudioSecond"));
      }
      if (peer) {
        JsonObject theirs = peer("realtime", streams, frameMs);
        ratio("real time, CPU per audio second", theirs.getDouble("cpuMsPerAudioSecond", 0.0),
            ours.getDouble("cpuMsPerAudioSecond"));
        if (drive == Drive.APP) {
          double r = ours.getDouble("cpuMsPerAudioSecond") > 0
              ? theirs.getDouble("cpuMsPerAudioSecond", 0.0) / ours.getDouble("cpuMsPerAudioSecond") : 0;
          System.out.printf(Locale.ROOT, "GOAL application drive, %d streams: at least 10x less CPU per audio second than"
              + " @livekit/agents: %s (%.1fx)%n", streams, judged(r >= 10, ours, theirs), r);
        }
      }
      if (drive == Drive.APP && streams >= 1000) {
        double ms = ours.getDouble("cpuMsPerAudioSecond");
        System.out.printf(Locale.ROOT, "GOAL application drive, %d streams: at most 0.3 ms of CPU per audio second: %s"
            + " (%.3f ms)%n", streams, judged(ms <= 0.3, ours), ms);
      }
    }
    if (mode.equals("eou")) {
      JsonObject ours = EndOfUtteranceMode.run(clientStreams, streams, frameMs, intArg(args, "warmup", 10), intArg(args, "seconds", 5),
          intArg(args, "rounds", streams == 1 ? 20 : 1));
      print("this project (SttClient)", ours);
      if (peer) {
        JsonObject theirs = peer("eou", streams, frameMs);
        ratio("end of utterance, p50", number(theirs, "eouP50Ms"), number(ours, "eouP50Ms"));
        ratio("end of utterance, p99", number(theirs, "eouP99Ms"), number(ours, "eouP99Ms"));
      }
    }
    if (mode.equals("fast") || mode.equals("both")) {
      JsonObject ours = FastMode.run(clientStreams, streams, frameMs, intArg(args, "warmup", 10), intArg(args, "audio-seconds", 20));
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

  /** Streams of the client's floor, opened on the calling event loop against the same gateway. */
  private Supplier<SpeechStream> floorStreams() {
    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE));
    AccessToken tokens = new AccessToken(vertx, KEY, SECRET);
    String uri = GatewayUrl.sttEndpoint("http://127.0.0.1:" + port + "/v1", null).toString();
    return () -> new FloorStream(ws, new WebSocketConnectOptions().setAbsoluteURI(uri)
        .addHeader("Authorization", "Bearer " + tokens.issue()).setTimeout(60_000), ToneAudio.RATE);
  }

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
    env.put("DRIVE", args.getOrDefault("drive", "tuned"));
    env.put("PHASES", args.getOrDefault("phases", "spread"));
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

  /**
   * A goal's verdict for one run, or why the run cannot judge it: a side that fell behind real
   * time or lost bytes was starved (a shared machine), and its CPU per audio second is not the
   * cost of the work asked for. One run never settles a goal; the line says so.
   */
  static String judged(boolean met, JsonObject... sides) {
    for (JsonObject side : sides) {
      if (!side.getBoolean("keepsRealTime", false)
          || side.getInteger("streamsWithEveryByte", 0) < side.getInteger("streams", 0)) {
        return "not judged in this run (a side did not keep real time or lost bytes: starved)";
      }
    }
    return (met ? "met" : "NOT met") + " in this run (one run settles nothing)";
  }

  /**
   * The measured JVM's collector, heap and flags: an application-style run is only that with the
   * defaults, so the report says which it had.
   */
  static String jvmLine() {
    StringBuilder gcs = new StringBuilder();
    for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
      gcs.append(gcs.length() == 0 ? "" : ", ").append(gc.getName());
    }
    java.util.List<String> flags = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments();
    return String.format(Locale.ROOT, "JVM: %s; heap at start %d MiB, at most %d MiB; flags: %s", gcs,
        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 20,
        Runtime.getRuntime().maxMemory() >> 20, flags.isEmpty() ? "none" : String.join(" ", flags));
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

  // ---------------------------------------------------------------- gateway

  private int startGateway() throws IOException {
    gateway = BenchGatewayProcess.start(args.getOrDefault("gateway-instances", "1"),
        args.getOrDefault("endpoint-seconds", "5"), "false");
    return gateway.port();
  }
}
