package org.voicerelay.stt.bench;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.fault.FaultProxy;

/**
 * The soak run (not part of CI; {@code scripts/soak}): N sessions streaming at real time for a
 * long time through a {@link FaultProxy} that injects a fault periodically, in front of the
 * bench gateway (counting engine, an utterance every 5 s) in its own JVM. At the end every session
 * is ended and checked: its final transcripts must tile the whole stream without gap or overlap,
 * and the engine's CRC32 of each utterance must equal the CRC32 of that span of what was sent (the
 * audio is a pure function of session and position, so the span can be regenerated). Prints the
 * figures: drops, reconnects, lost or duplicated audio, heap and RSS before and after, CPU.
 *
 * <p>The faults, every {@code --drop-every} seconds: {@code drop} cuts every connection at the TCP
 * level; {@code restart} also refuses connections for {@code --outage-seconds}, as a gateway
 * restart does; {@code silent} makes every open connection pass nothing either way without
 * closing, as a hung gateway or a NAT that lost the flow does. The client runs with its default
 * connect options.
 */
public final class SoakBench {

  private static final int RATE = 16_000;
  private static final int CHUNK = 3_200;

  private SoakBench() {
  }

  static final String USAGE = "usage: SoakBench [--sessions 200] [--minutes 10] [--drop-every 30]"
      + " [--fault drop|restart|silent] [--outage-seconds 5]";

  public static void main(String[] argv) throws Exception {
    int sessions = 200;
    double minutes = 10;
    int dropEvery = 30;
    String fault = "drop";
    int outageSeconds = 5;
    try {
      if (argv.length % 2 != 0) {
        throw new IllegalArgumentException("every option takes a value");
      }
      for (int i = 0; i < argv.length; i += 2) {
        switch (argv[i]) {
          case "--sessions" -> sessions = Integer.parseInt(argv[i + 1]);
          case "--minutes" -> minutes = Double.parseDouble(argv[i + 1]);
          case "--drop-every" -> dropEvery = Integer.parseInt(argv[i + 1]);
          case "--fault" -> fault = argv[i + 1];
          case "--outage-seconds" -> outageSeconds = Integer.parseInt(argv[i + 1]);
          default -> throw new IllegalArgumentException("unknown option " + argv[i]);
        }
      }
      if (!List.of("drop", "restart", "silent").contains(fault)) {
        throw new IllegalArgumentException("--fault must be drop, restart or silent, got " + fault);
      }
      if (sessions < 1 || minutes <= 0 || dropEvery < 1 || outageSeconds < 0) {
        throw new IllegalArgumentException("--sessions, --minutes and --drop-every must be positive,"
            + " --outage-seconds not negative");
      }
      if (fault.equals("restart") && dropEvery <= outageSeconds + 10) {
        throw new IllegalArgumentException("--drop-every must exceed --outage-seconds + 10 for restarts, so the"
            + " sessions are back before the next one");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("soak: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process gateway = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        BenchGatewayMain.class.getName(), "0", "1", "5")
        .redirectError(ProcessBuilder.Redirect.appendTo(new File("target/soak-gateway.log"))).start();
    PrintWriter gatewayIn = new PrintWriter(gateway.getOutputStream(), true, StandardCharsets.UTF_8);
    BufferedReader gatewayOut = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
    int gatewayPort = -1;
    String line;
    while ((line = gatewayOut.readLine()) != null) {
      if (line.startsWith("bench gateway listening on ")) {
        gatewayPort = Integer.parseInt(line.substring("bench gateway listening on ".length()).trim());
        break;
      }
    }
    Vertx vertx = Vertx.vertx();
    Context control = vertx.getOrCreateContext();
    int upstream = gatewayPort;
    FaultProxy proxy = join(Future.<FaultProxy>future(p -> control.runOnContext(v ->
        FaultProxy.start(vertx, upstream).onComplete(p))));
    SttVerticleOptions options = new SttVerticleOptions().setMaxSessions(sessions + 10).setIdleTimeoutMs(600_000)
        // every session opens at once: the soak is about dropped connections, not admission
        .setMaxAdmissionsPerSecond(0)
        .setClosedSessionLingerMs(1_000)
        .setClient(new SttOptions().setBaseUrl("http://127.0.0.1:" + proxy.port() + "/v1")
            .setApiKey("benchkey").setApiSecret("bench-secret-0123456789abcdef").setFinalQuietMs(200)
            .setConnectOptions(new ConnectOptions()));
    join(vertx.deployVerticle(new SttVerticle(options)));

    long heap0 = ProcessFigures.heapAfterGc();
    long rss0 = ProcessFigures.rssBytes();
    int n = sessions;
    List<List<JsonObject>> finals = new ArrayList<>();
    int[] reconnecting = new int[n];
    int[] errors = new int[n];
    List<Promise<JsonObject>> closed = new ArrayList<>();
    JsonObject[] opened = new JsonObject[n];
    for (int i = 0; i < n; i++) {
      int s = i;
      finals.add(new ArrayList<>());
      Promise<JsonObject> c = Promise.promise();
      closed.add(c);
      join(vertx.eventBus().<JsonObject>consumer("app.soak." + i, m -> {
        JsonObject e = m.body();
        switch (e.getString("type")) {
          case "final_transcript" -> finals.get(s).add(e);
          case "reconnecting" -> reconnecting[s]++;
          case "error" -> errors[s]++;
          case "closed" -> c.tryComplete(e);
          default -> {
          }
        }
      }).completion());
      opened[i] = join(vertx.eventBus().<JsonObject>request("stt.open", new JsonObject().put("sampleRate", RATE)
          .put("eventsAddress", "app.soak." + i))).body();
    }
    long[] sent = new long[n];
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    long totalTicks = Math.round(minutes * 60 * 10);
    int[] drops = {0};
    long[] tick = {0};
    Promise<Void> streamed = Promise.promise();
    long dropTicks = dropEvery * 10L;
    String injected = fault;
    long outageMs = outageSeconds * 1_000L;
    // every 100 ms each session sends 100 ms of audio (fire-and-forget, as live audio does)
    control.runOnContext(v -> vertx.setPeriodic(100, id -> {
      if (tick[0] >= totalTicks) {
        vertx.cancelTimer(id);
        streamed.tryComplete();
        return;
      }
      for (int i = 0; i < n; i++) {
        byte[] pcm = new byte[CHUNK];
        fill(pcm, i, sent[i]);
        sent[i] += CHUNK;
        vertx.eventBus().send(opened[i].getString("audioAddress"), Buffer.buffer(pcm));
      }
      tick[0]++;
      if (tick[0] % dropTicks == 0) {
        drops[0]++;
        switch (injected) {
          case "restart" -> proxy.goDown().onSuccess(down -> vertx.setTimer(outageMs, t -> proxy.comeBack()));
          case "silent" -> proxy.silenceAll();
          default -> proxy.dropAll();
        }
      }
      if (tick[0] % 600 == 0) {
        System.out.printf(Locale.ROOT, "%4d s: %d faults so far, reconnects %d%n", tick[0] / 10, drops[0], sum(reconnecting));
      }
    }));
    join(streamed.future());
    for (int i = 0; i < n; i++) {
      vertx.eventBus().request(opened[i].getString("controlAddress"), new JsonObject().put("action", "end"),
          new DeliveryOptions().setSendTimeout(60_000));
    }
    for (Promise<JsonObject> c : closed) {
      c.future().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    Thread.sleep(1_500);
    int complete = 0;
    long finalCount = 0;
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String problem = check(finals.get(i), i, sent[i]);
      finalCount += finals.get(i).size();
      if (problem == null) {
        complete++;
      } else if (problems.size() < 5) {
        problems.add("session " + i + ": " + problem);
      }
    }
    // the bench's own record of every final transcript is not the verticle's memory: let it go
    finals.clear();
    long heap1 = ProcessFigures.heapAfterGc();
    long rss1 = ProcessFigures.rssBytes();
    gatewayIn.println("quit");
    String what = switch (fault) {
      case "restart" -> "the gateway restarted (" + outageSeconds + " s refusing connections)";
      case "silent" -> "every connection went silent without closing";
      default -> "every connection cut";
    };
    System.out.printf(Locale.ROOT, "%n== soak: %d sessions x %.1f min at real time, %s every %d s, default connect options%n",
        n, minutes, what, dropEvery);
    System.out.printf(Locale.ROOT, "faults %d, reconnecting events %d (at least %d = faults x sessions), error events %d%n",
        drops[0], sum(reconnecting), drops[0] * n, sum(errors));
    System.out.printf(Locale.ROOT, "every byte transcribed exactly once: %d of %d sessions (%d final transcripts)%s%n",
        complete, n, finalCount, problems.isEmpty() ? "" : "; " + problems);
    System.out.printf(Locale.ROOT, "verticle process CPU %.1f s in %.1f s = %.2f cores (includes the proxy and the sender)%n",
        cpu, wall, cpu / wall);
    System.out.printf(Locale.ROOT, "heap after GC %.1f MiB before the sessions, %.1f MiB after they closed; RSS %.1f -> %.1f MiB%n",
        heap0 / 1048576.0, heap1 / 1048576.0, rss0 / 1048576.0, rss1 / 1048576.0);
    System.out.printf(Locale.ROOT, "loadavg %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    gateway.waitFor(10, TimeUnit.SECONDS);
    System.exit(complete == n ? 0 : 1);
  }

  /** Null if the finals tile [0, sent) with matching CRCs, else what is wrong. */
  private static String check(List<JsonObject> finals, int session, long sent) {
    long expected = 0;
    for (JsonObject f : finals) {
      JsonObject alt = f.getJsonArray("alternatives").getJsonObject(0);
      JsonObject meta = alt.getJsonObject("metadata");
      long bytes = meta.getLong("bytes");
      if (bytes == 0) {
        continue;
      }
      long start = Math.round(alt.getDouble("startTime") * RATE * 2);
      if (start != expected) {
        return "a final starts at byte " + start + ", expected " + expected;
      }
      byte[] span = new byte[(int) bytes];
      fill(span, session, start);
      CRC32 crc = new CRC32();
      crc.update(span);
      if (crc.getValue() != meta.getLong("checksum")) {
        return "checksum mismatch at byte " + start;
      }
      expected = start + bytes;
    }
    return expected == sent ? null : "transcribed " + expected + " of " + sent + " bytes";
  }

  /** The audio of {@code session} from byte {@code position}: a pure function of both. */
  static void fill(byte[] dst, int session, long position) {
    for (int i = 0; i < dst.length; i++) {
      long p = position + i;
      long z = (p >>> 3) * 0x9E3779B97F4A7C15L + session * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      z ^= z >>> 31;
      dst[i] = (byte) (z >>> (8 * (p & 7)));
    }
  }

  private static int sum(int[] a) {
    int s = 0;
    for (int v : a) {
      s += v;
    }
    return s;
  }

  private static <T> T join(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().join();
  }
}
