package org.voicerelay.stt.bench;

import static org.voicerelay.stt.bench.BenchArgs.intArg;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fault benchmark (issue 26): how long streams go deaf when the gateway fails, with the
 * client's default options and its public API. N streams write a 440 Hz tone in real time; the
 * gateway ({@link FaultGatewayMain}, its own JVM) sends an interim transcript every 500 ms of audio
 * and a final every 5 s. The figure per stream is the longest time it went without a transcript
 * event (interim or final) while audio flowed ({@link Deafness}); a run prints its median, p99
 * and worst over the streams, the streams that died, the connections per stream the gateway saw,
 * whether the finals tile every byte written, and a CPU calibration line.
 *
 * <p>Faults: {@code restart}: the gateway process is killed (SIGKILL) {@code --fault-at} seconds
 * into the audio and a new one listens on the same port {@code --outage-seconds} later;
 * {@code silent}: every open connection (each stream's first) goes silent both ways (kept open) at
 * {@code --fault-at}; connections made later pass; {@code drop}: a gateway that accepts every upgrade
 * and drops it at once, for the whole run; {@code none}: no fault (the baseline).
 *
 * <p>Paths: {@code client} (one {@code SttClient}, N streams), {@code bus} (N sessions of one
 * {@code SttVerticle} through the in-process event bus), {@code resumable} (the same, opened
 * {@code "resumable": true}). {@code --peer}: then the same fault, in a run of its own, with
 * LiveKit's Node client ({@code scripts/fault-peer.mjs}).
 */
public final class FaultBench {

  static final String KEY = BenchGatewayMain.API_KEY;
  static final String SECRET = BenchGatewayMain.API_SECRET;
  /** Stream i is room {@code s<i>}: the gateway's front counts connections per stream by it. */
  static final String ROOM_PREFIX = "s";
  /** Between every stream connected and the audio's start, unless --settle-seconds says otherwise. */
  static final double SETTLE_SECONDS = 3;
  /**
   * The first seconds of audio are not measured: the first audio through a cold JVM's path took up
   * to 2.4 s to reach the gateway on the bus path (class loading, first compilations).
   */
  static final double WARMUP_SECONDS = 2;
  /** The longest warm-up, waiting for every stream to hear its first transcript. */
  static final double WARMUP_MAX_SECONDS = 30;

  static final String USAGE = String.join("\n",
      "usage: FaultBench [--path client|bus|resumable] [--fault restart|silent|drop|none] [--streams 20]",
      "                  [--outage-seconds 5] [--fault-at 4 (restart) | 3 (silent)] [--seconds 24 (drop: 30)]",
      "                  [--frame-ms 20 (client) | 100 (bus)] [--endpoint-seconds 5] [--interim-ms 500]",
      "                  [--settle-seconds 3] [--warmup-seconds 2] [--peer] [--peer-only] [--node-dir scripts/.node]",
      "                  [--floor] [--floor-only]",
      "  --settle-seconds: the pause between every stream connected and the audio's start; --warmup-seconds: the",
      "  first seconds of audio, not measured, longer until every stream heard a transcript (at most 30 s);",
      "  --fault-at counts from the audio's start, later by as much as the warm-up waited",
      "  restart: the gateway process is killed (SIGKILL) --fault-at s into the audio, a new one listens on",
      "           the same port --outage-seconds later; silent: every open connection (each stream's first) passes",
      "           nothing either way from --fault-at on, and stays open; connections made after it pass; drop:",
      "           every upgrade accepted and dropped at once",
      "  --peer: then the same fault with LiveKit's Node client (scripts/fault-peer.mjs), --path client only;",
      "  --peer-only: the Node client's run alone; --floor: then the same fault with the recovery floor",
      "  (RecoveringFloorStream: the least a client must do to hear again), --path client only; --floor-only: it alone");

  private static final Set<String> OPTIONS = Set.of("path", "fault", "streams", "outage-seconds", "fault-at",
      "seconds", "frame-ms", "endpoint-seconds", "interim-ms", "peer", "peer-only", "floor", "floor-only", "node-dir", "settle-seconds", "warmup-seconds");

  /** What a run does, from the options. */
  record Plan(String path, String fault, int streams, double outageSeconds, double faultAt, int seconds,
      int frameMs, double endpointSeconds, int interimMs, double settleSeconds, double warmupSeconds) {

    String describeFault() {
      return switch (fault) {
        case "restart" -> String.format(Locale.ROOT, "gateway killed (SIGKILL) %.1f s in, back after %.1f s", faultAt, outageSeconds);
        case "silent" -> String.format(Locale.ROOT, "every open connection silent both ways from %.1f s in (new ones pass)", faultAt);
        case "drop" -> "every upgrade accepted and dropped at once, the whole run";
        default -> "no fault";
      };
    }
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = BenchArgs.parseOrExit(argv, OPTIONS, USAGE);
    Plan plan = null;
    try {
      plan = plan(args);
    } catch (IllegalArgumentException e) {
      BenchArgs.exitWithUsage(e.getMessage(), USAGE);
    }
    new File("target").mkdirs();
    int failures = 0;
    boolean alone = args.containsKey("peer-only") || args.containsKey("floor-only");
    if (!alone) {
      failures += run(plan, null);
    }
    if (args.containsKey("floor") || args.containsKey("floor-only")) {
      failures += run(plan, FLOOR);
    }
    if (args.containsKey("peer") || args.containsKey("peer-only")) {
      failures += run(plan, args.getOrDefault("node-dir", "scripts/.node"));
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  static Plan plan(Map<String, String> args) {
    String path = args.getOrDefault("path", "client");
    String fault = args.getOrDefault("fault", "restart");
    if (!Set.of("client", "bus", "resumable").contains(path)) {
      throw new IllegalArgumentException("--path must be client, bus or resumable, got " + path);
    }
    if (!Set.of("restart", "silent", "drop", "none").contains(fault)) {
      throw new IllegalArgumentException("--fault must be restart, silent, drop or none, got " + fault);
    }
    if ((args.containsKey("peer") || args.containsKey("peer-only")) && !path.equals("client")) {
      throw new IllegalArgumentException("--peer compares clients: use it with --path client");
    }
    if ((args.containsKey("floor") || args.containsKey("floor-only")) && !path.equals("client")) {
      throw new IllegalArgumentException("--floor compares clients: use it with --path client");
    }
    int streams = intArg(args, "streams", 20);
    int seconds = intArg(args, "seconds", fault.equals("drop") ? 30 : 24);
    int frameMs = intArg(args, "frame-ms", path.equals("client") ? 20 : 100);
    double outage = number(args, "outage-seconds", 5);
    double faultAt = number(args, "fault-at", fault.equals("silent") ? 3 : 4);
    double endpoint = number(args, "endpoint-seconds", 5);
    int interimMs = intArg(args, "interim-ms", 500);
    if (streams <= 0 || seconds <= 0 || interimMs <= 0) {
      throw new IllegalArgumentException("--streams, --seconds and --interim-ms must be positive");
    }
    if (frameMs <= 0 || 1000 % frameMs != 0) {
      throw new IllegalArgumentException("--frame-ms must divide 1000, got " + frameMs);
    }
    if (outage < 0 || faultAt < 0 || endpoint < 0) {
      throw new IllegalArgumentException("--outage-seconds, --fault-at and --endpoint-seconds must not be negative");
    }
    if ((fault.equals("restart") || fault.equals("silent")) && faultAt >= seconds) {
      throw new IllegalArgumentException("--fault-at must come before the audio ends (--seconds " + seconds + ")");
    }
    double settle = number(args, "settle-seconds", SETTLE_SECONDS);
    if (settle < 0) {
      throw new IllegalArgumentException("--settle-seconds must not be negative");
    }
    double warmup = number(args, "warmup-seconds", WARMUP_SECONDS);
    if (warmup < 0 || warmup >= seconds) {
      throw new IllegalArgumentException("--warmup-seconds must be at least 0 and less than --seconds");
    }
    if ((fault.equals("restart") || fault.equals("silent")) && faultAt < warmup) {
      throw new IllegalArgumentException("--fault-at must not come before the warm-up ends (--warmup-seconds " + warmup + ")");
    }
    return new Plan(path, fault, streams, outage, faultAt, seconds, frameMs, endpoint, interimMs, settle, warmup);
  }

  private static double number(Map<String, String> args, String name, double def) {
    String v = args.get(name);
    if (v == null) {
      return def;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
    }
  }

  /** {@link #run}'s subject for the recovery floor's streams. */
  private static final String FLOOR = "floor";

  /**
   * One run: this project's streams ({@code other} null), the recovery floor's ({@link #FLOOR}) or
   * the Node peer's ({@code other} its directory). 1 if it failed.
   */
  private static int run(Plan plan, String other) throws Exception {
    boolean floor = FLOOR.equals(other);
    String nodeDir = floor ? null : other;
    String calibrationBefore = CpuCalibration.line();
    System.out.println(calibrationBefore);
    String who = floor ? "floor" : nodeDir != null ? "@livekit/agents" : plan.path.equals("client") ? "SttClient" : "SttVerticle";
    System.out.printf(Locale.ROOT, "fault bench: %s, %d stream(s), %s; %d s of audio in %d ms writes, real time,"
            + " measured after the first %s s; gateway: an interim every %d ms of audio, a final every %s s%n",
        floor ? "the recovery floor (RecoveringFloorStream)"
            : nodeDir != null ? "LiveKit's Node client (@livekit/agents 1.9.0, its defaults)"
            : plan.path.equals("client") ? "SttClient (default options)"
            : "SttVerticle, in-process event bus (client's default options)" + (plan.path.equals("resumable") ? ", resumable sessions" : ""),
        plan.streams, plan.describeFault(), plan.seconds, plan.frameMs, trim(plan.warmupSeconds), plan.interimMs,
        trim(plan.endpointSeconds));
    ConnectionLog log = new ConnectionLog(plan.streams);
    FaultGateway first = null;
    FaultGateway second = null;
    FaultSubjects subjects = null;
    try {
      first = FaultGateway.start(log, 0, plan.fault.equals("drop") ? "drop" : "pass", plan.streams,
          plan.endpointSeconds, plan.interimMs, false);
      if (plan.fault.equals("restart")) {
        // the next gateway process is started now and listens on the same port when the outage is over
        second = FaultGateway.start(log, 0, "pass", plan.streams, plan.endpointSeconds, plan.interimMs, true);
        second.awaitReady();
      }
      int port = first.awaitReady().port();
      subjects = floor ? new FloorSubjects(plan, port) : nodeDir != null ? new PeerSubjects(plan, nodeDir, port)
          : plan.path.equals("client") ? new ClientSubjects(plan, port) : new BusSubjects(plan, port);
      subjects.open();
      if (!plan.fault.equals("drop")) {
        subjects.awaitConnected(log);
        // connected is not yet streaming: LiveKit's Node client sent its first audio 2.4 s after a
        // connection was up (module loading, first compilations); every client gets the same pause
        Thread.sleep((long) (plan.settleSeconds * 1000));
      }
      long t0 = subjects.startAudio();
      // the warm-up: at least --warmup-seconds, and until every stream heard a transcript (a cold
      // path at 200 streams on a busy machine took longer than 4 s); at most WARMUP_MAX_SECONDS
      long window = subjects.awaitWarm(t0 + (long) (plan.warmupSeconds * 1e9),
          (long) (WARMUP_MAX_SECONDS * 1e9), (long) ((plan.seconds - plan.warmupSeconds) * 1e9));
      long windowStartMicros = BenchGatewayMain.nowMicros() + (window - System.nanoTime()) / 1000;
      System.out.printf(Locale.ROOT, "  measured window: from %.2f s into the audio, for %s s%s%n", (window - t0) / 1e9,
          trim(plan.seconds - plan.warmupSeconds), !plan.fault.equals("restart") && !plan.fault.equals("silent") ? ""
              : String.format(Locale.ROOT, "; the fault %s s into it", trim(plan.faultAt - plan.warmupSeconds)));
      double outageMeasured = Double.NaN;
      if (plan.fault.equals("restart") || plan.fault.equals("silent")) {
        sleepUntil(window + (long) ((plan.faultAt - plan.warmupSeconds) * 1e9));
        // the fault's instant, for "first transcript after the fault", is when it took effect: the
        // process is gone, or the silence acknowledged (nothing in flight passes after that)
        if (plan.fault.equals("restart")) {
          long killedAt = System.nanoTime();
          first.kill();
          subjects.fault(System.nanoTime());
          sleepUntil(killedAt + (long) (plan.outageSeconds * 1e9));
          second.listen(port);
          outageMeasured = (System.nanoTime() - killedAt) / 1e9;
          System.out.printf(Locale.ROOT, "  outage: killed %.2f s into the audio, a new process listening %.2f s later%n",
              (killedAt - t0) / 1e9, outageMeasured);
        } else {
          int silenced = first.silence();
          subjects.fault(System.nanoTime());
          System.out.printf(Locale.ROOT, "  silenced %d connection(s) %.2f s into the audio%s%n", silenced,
              (System.nanoTime() - t0) / 1e9, silenced < plan.streams
                  ? " (fewer than the streams: some had no open connection at the fault)" : "");
        }
      }
      subjects.awaitAudioEnd(window + (long) ((plan.seconds - plan.warmupSeconds) * 1e9));
      if (plan.fault.equals("drop")) {
        // accept-then-drop: the connections while the audio flowed (--seconds, 30 by default)
        log.closeWindow(BenchGatewayMain.nowMicros());
      }
      subjects.endAll();
      report(plan, who, subjects, log, outageMeasured, calibrationBefore, windowStartMicros, (window - t0) / 1e9);
      return 0;
    } catch (Exception | Error e) {
      System.out.println("  error: " + e);
      System.out.printf(Locale.ROOT, "FAULT path=%s client=%s fault=%s streams=%d error=%s%n", plan.path, who, plan.fault,
          plan.streams, String.valueOf(e.getMessage()).replace(' ', '_'));
      e.printStackTrace();
      return 1;
    } finally {
      if (subjects != null) {
        subjects.close();
      }
      if (first != null) {
        first.close();
      }
      if (second != null) {
        second.close();
      }
      System.out.println(CpuCalibration.line());
    }
  }

  private static void report(Plan plan, String who, FaultSubjects subjects, ConnectionLog log, double outageMeasured,
      String calibration, long windowStartMicros, double windowOffsetSeconds) {
    Deafness[] all = subjects.deafness();
    int n = all.length;
    double[] longest = new double[n];
    double[] heard = new double[n];
    int heardCount = 0;
    int died = 0;
    int warm = 0;
    Map<String, Integer> causes = new java.util.TreeMap<>();
    double fromSum = 0;
    for (int i = 0; i < n; i++) {
      longest[i] = all[i].longestNanos() / 1e9;
      fromSum += all[i].longestFromNanos() / 1e9;
      long h = all[i].heardAfterFaultNanos();
      if (h >= 0) {
        heard[heardCount++] = h / 1e9;
      }
      if (all[i].warm()) {
        warm++;
      }
      if (all[i].diedOf() != null) {
        died++;
        causes.merge(all[i].diedOf(), 1, Integer::sum);
      }
    }
    Arrays.sort(longest);
    double[] heardSorted = Arrays.copyOf(heard, heardCount);
    Arrays.sort(heardSorted);
    int[] per = log.perStream(ROOM_PREFIX, n);
    int total = log.total();
    String conns = per != null
        ? String.format(Locale.ROOT, "median %d, max %d (%d in all)", per[per.length / 2], per[per.length - 1], total)
        : String.format(Locale.ROOT, "mean %.2f (%d in all; the client names no stream, so no maximum)", total / (double) n, total);
    int burst = log.largestReconnectBurst(100_000);
    int everyByte = subjects.everyByte();
    System.out.printf(Locale.ROOT, "  longest silence while audio flowed (no transcript event), per stream: p50 %.2f s,"
            + " p99 %.2f s, worst %.2f s (it began %.1f s into the audio on average)%n",
        pct(longest, 0.5), pct(longest, 0.99), pct(longest, 1), fromSum / n + windowOffsetSeconds);
    if (!plan.fault.equals("drop")) {
      System.out.printf(Locale.ROOT, "  streams that heard a transcript in the window %s: %d of %d%s%n",
          plan.fault.equals("none") ? "" : "before the fault", warm, n,
          warm < n ? " (NOT ALL: the others were not streaming yet, a starved machine; their figures say little)" : "");
    }
    if (!plan.fault.equals("drop") && !plan.fault.equals("none")) {
      System.out.printf(Locale.ROOT, "  first transcript after the fault: p50 %s, worst %s (%d of %d streams heard one)%n",
          seconds(heardSorted, 0.5), seconds(heardSorted, 1), heardCount, n);
    }
    System.out.printf(Locale.ROOT, "  streams that died (error or closed before the end): %d of %d%s%n", died, n,
        causes.isEmpty() ? "" : " " + causes);
    System.out.printf(Locale.ROOT, "  connections per stream seen by the gateway%s: %s; largest number of reconnections"
        + " (connections after a stream's first) in any 100 ms: %d%n",
        log.windowed() ? " while the audio flowed (" + plan.seconds + " s)" : "", conns, burst);
    System.out.printf(Locale.ROOT, "  %s: %s of %d%n", subjects.everyByteMethod(), everyByte < 0 ? "n/a" : everyByte, n);
    long gatewayStall = log.worstStall(windowStartMicros);
    long benchStall = subjects.worstStallMs();
    System.out.printf(Locale.ROOT, "  stalls in the measured window (a shared machine starves processes): the gateway's event"
        + " loops at most %d ms late%s; this JVM's writers at most %s ms late%n", gatewayStall,
        gatewayStall == 0 ? " (none over 50 ms)" : "", benchStall < 0 ? "?" : String.valueOf(benchStall));
    Matcher m = Pattern.compile("calibration: ([0-9.]+) ms").matcher(calibration);
    System.out.printf(Locale.ROOT, "FAULT path=%s client=%s fault=%s outage_s=%s outage_measured_s=%s streams=%d"
            + " silence_p50_s=%.2f silence_p99_s=%.2f silence_worst_s=%.2f heard_again_p50_s=%s warm=%s died=%d"
            + " conn_per_stream_median=%s conn_per_stream_max=%s conn_total=%d reconnect_burst_100ms=%d every_byte=%s/%d"
            + " seconds=%d gateway_stall_ms=%d bench_stall_ms=%s calibration_ms=%s%n",
        plan.path, who, plan.fault, plan.fault.equals("restart") ? trim(plan.outageSeconds) : "-",
        Double.isNaN(outageMeasured) ? "-" : String.format(Locale.ROOT, "%.2f", outageMeasured), n,
        pct(longest, 0.5), pct(longest, 0.99), pct(longest, 1), heardCount == 0 ? "-" : String.format(Locale.ROOT, "%.2f", pct(heardSorted, 0.5)),
        plan.fault.equals("drop") ? "-" : warm + "/" + n, died, per == null ? String.format(Locale.ROOT, "%.2f", total / (double) n) : String.valueOf(per[per.length / 2]),
        per == null ? "-" : String.valueOf(per[per.length - 1]), total, burst,
        everyByte < 0 ? "-" : String.valueOf(everyByte), n, plan.seconds, gatewayStall,
        benchStall < 0 ? "-" : String.valueOf(benchStall), m.find() ? m.group(1) : "?");
  }

  private static String seconds(double[] sorted, double p) {
    return sorted.length == 0 ? "none" : String.format(Locale.ROOT, "%.2f s", pct(sorted, p));
  }

  /** Nearest-rank percentile of sorted values. */
  static double pct(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait;
    while ((wait = nanoTime - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  // ------------------------------------------------------------------------------------ peer

  /**
   * LiveKit's Node client, {@code scripts/fault-peer.mjs}: it opens the streams, starts its audio
   * when told {@code go}, prints {@code started}, and at the end one JSON line with each stream's
   * longest silence, first transcript after the fault and death.
   */
  private static final class PeerSubjects implements FaultSubjects {
    private final Plan plan;
    private final Process node;
    private final PrintWriter in;
    private final BufferedReader out;
    private Deafness[] deafness;
    private JsonObject result;
    private long faultAt;
    private long t0;

    PeerSubjects(Plan plan, String nodeDir, int port) throws IOException {
      this.plan = plan;
      ProcessBuilder pb = new ProcessBuilder("node", "scripts/fault-peer.mjs")
          .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/bench-peer.log")));
      Map<String, String> env = pb.environment();
      env.put("LK_NODE_DIR", new File(nodeDir).getAbsolutePath());
      env.put("GATEWAY_BASE_URL", "http://127.0.0.1:" + port + "/v1");
      env.put("LIVEKIT_API_KEY", KEY);
      env.put("LIVEKIT_API_SECRET", SECRET);
      env.put("STREAMS", String.valueOf(plan.streams));
      env.put("FRAME_MS", String.valueOf(plan.frameMs));
      env.put("SECONDS", String.valueOf(plan.seconds));
      env.put("WARMUP", String.valueOf(plan.warmupSeconds));
      env.put("WARMUP_MAX", String.valueOf(WARMUP_MAX_SECONDS));
      node = pb.start();
      in = new PrintWriter(node.getOutputStream(), true, StandardCharsets.UTF_8);
      out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public void open() {
      // the Node client opens its streams as it starts
    }

    @Override
    public void awaitConnected(ConnectionLog log) throws InterruptedException {
      awaitFirsts(log, plan.streams);
    }

    @Override
    public long startAudio() throws IOException {
      in.println("go");
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("started")) {
        System.out.println("  node: " + line);
      }
      if (line == null) {
        throw new IllegalStateException("the Node peer exited before its audio started; see target/bench-peer.log");
      }
      t0 = System.nanoTime();
      return t0;
    }

    @Override
    public long awaitWarm(long notBefore, long maxNanos, long windowNanos) throws IOException {
      // the peer decides by the same rule (fault-peer.mjs) and says "window" when its window starts
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("window")) {
        System.out.println("  node: " + line);
      }
      if (line == null) {
        throw new IllegalStateException("the Node peer exited in its warm-up; see target/bench-peer.log");
      }
      return System.nanoTime();
    }

    @Override
    public void fault(long now) {
      faultAt = now;
      in.println("fault");
    }

    @Override
    public void awaitAudioEnd(long end) throws InterruptedException {
      // the peer ends its own audio, on its clock: this waits as long, for the window of the count
      sleepUntil(end);
    }

    @Override
    public void endAll() throws IOException, InterruptedException {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("{")) {
          result = new JsonObject(line);
        } else {
          System.out.println("  node: " + line);
        }
      }
      node.waitFor(30, TimeUnit.SECONDS);
      if (result == null) {
        throw new IllegalStateException("the Node peer printed no result; see target/bench-peer.log");
      }
      JsonArray streams = result.getJsonArray("streams");
      deafness = new Deafness[streams.size()];
      for (int i = 0; i < streams.size(); i++) {
        JsonObject s = streams.getJsonObject(i);
        deafness[i] = Deafness.of(s.getDouble("longestMs"), s.getDouble("longestFromMs"),
            s.getValue("heardAfterFaultMs") == null ? -1 : s.getDouble("heardAfterFaultMs"), s.getString("died"),
            s.getBoolean("warm", false));
      }
    }

    @Override
    public Deafness[] deafness() {
      return deafness;
    }

    @Override
    public int everyByte() {
      return result == null ? -1 : result.getInteger("streamsWithEveryByte", -1);
    }

    @Override
    public String everyByteMethod() {
      return "streams whose finals' bytes add up to what was written (the Node client resends nothing, so no tiling check)";
    }

    @Override
    public void close() {
      if (node.isAlive()) {
        node.destroyForcibly();
      }
    }
  }

  /** Waits until {@code n} streams made their first connection (at most 120 s), then 500 ms more. */
  static void awaitFirsts(ConnectionLog log, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (log.firsts() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + log.firsts() + " of " + n + " streams connected within 120 s");
      }
      Thread.sleep(50);
    }
    Thread.sleep(500);
  }
}
