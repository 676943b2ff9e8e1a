package org.voicerelay.stt.bench;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.voicerelay.stt.gateway.CountingRecognizer;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.gateway.engine.Hypothesis;
import org.voicerelay.stt.gateway.engine.Recognition;
import org.voicerelay.stt.gateway.engine.RecognitionListener;
import org.voicerelay.stt.gateway.engine.RecognitionRequest;
import org.voicerelay.stt.gateway.engine.Recognizer;

/**
 * The gateway side of the benchmarks, meant to run in a JVM of its own: the local gateway
 * ({@link LocalGatewayVerticle}, unchanged) with the deterministic {@link CountingRecognizer},
 * wrapped so that each audio frame the engine receives is checked for a latency marker.
 *
 * <p>Marker: the load generator writes into the first 12 bytes of every 50 ms frame the wall-clock
 * time in microseconds since the epoch (8 bytes, little-endian) at which it handed the audio to the
 * event bus, and the magic {@link #MAGIC}. Both processes run on one machine and read the same
 * system clock (CLOCK_REALTIME through {@link java.time.Instant#now()}, microsecond resolution), so
 * arrival minus marker is the latency bus -> verticle -> client -> WebSocket -> gateway decode ->
 * engine, with no clock offset between the two.
 *
 * <p>Commands on standard input, one per line, answered by one JSON line on standard output:
 * {@code reset} (clears the histogram and the CPU baseline), {@code report}, {@code quit}. Prints
 * {@code bench gateway listening on PORT} once it accepts connections.
 *
 * <p>Usage: {@code BenchGatewayMain [port] [instances] [endpointSeconds] [sessionClosedReply]}
 * (the last {@code false} for LiveKit's Node client 1.9.0, see {@link LocalGatewayOptions}).
 */
public final class BenchGatewayMain {

  static final int MAGIC = 0x4d545453; // "STTM" little-endian
  /**
   * Metadata of the final transcript that answers a {@code session.finalize}: the wall-clock time
   * (microseconds since the epoch) at which the gateway handed that finalize to its engine. A
   * client that reads it when the final is delivered gets the end-of-utterance latency: the
   * finalize's way in, the gateway and the final's way back through the client.
   */
  static final String FINALIZE_AT = "finalizeAtMicros";
  /** The credentials the gateway accepts unless BENCH_API_KEY and BENCH_API_SECRET say others. */
  static final String API_KEY = "benchkey";
  static final String API_SECRET = "bench-secret-0123456789abcdef";

  private BenchGatewayMain() {
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    int instances = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    double endpointSeconds = args.length > 2 ? Double.parseDouble(args[2]) : 0;
    boolean sessionClosedReply = args.length > 3 ? Boolean.parseBoolean(args[3])
        : LocalGatewayOptions.DEFAULT_SESSION_CLOSED_REPLY;
    Histogram latency = new Histogram();
    Recognizer counting = new CountingRecognizer(new JsonObject().put("endpointSeconds", endpointSeconds));
    Recognizer marked = new MarkerRecognizer(counting, latency);
    VertxOptions vertxOptions = new VertxOptions().setEventLoopPoolSize(Math.max(1, instances))
        .setPreferNativeTransport(nativeTransport());
    if (Boolean.getBoolean("bench.stalls")) {
      vertxOptions.setBlockedThreadCheckInterval(2).setBlockedThreadCheckIntervalUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
          .setMaxEventLoopExecuteTime(10).setMaxEventLoopExecuteTimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS)
          .setWarningExceptionTime(10).setWarningExceptionTimeUnit(java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    Vertx vertx = Vertx.vertx(vertxOptions);
    LocalGatewayOptions options = new LocalGatewayOptions().setRecognizer("counting").setPort(port)
        .setMaxSessions(100_000).setIdleTimeout(600_000).setMaxPendingBytes(64L * 1024 * 1024)
        .setSessionClosedReply(sessionClosedReply)
        .setApiKey(System.getenv().getOrDefault("BENCH_API_KEY", API_KEY))
        .setApiSecret(System.getenv().getOrDefault("BENCH_API_SECRET", API_SECRET));
    LocalGatewayVerticle[] first = new LocalGatewayVerticle[1];
    vertx.deployVerticle(() -> {
      LocalGatewayVerticle v = new LocalGatewayVerticle(options, marked);
      if (first[0] == null) {
        first[0] = v;
      }
      return v;
    }, new DeploymentOptions().setInstances(instances)).toCompletionStage().toCompletableFuture().join();
    LagTimeline lag = new LagTimeline("gateway");
    lag.start(vertx);
    System.out.println("bench gateway listening on " + first[0].actualPort());
    System.out.flush();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuStart = os.getProcessCpuTime();
    long wallStart = System.nanoTime();
    long allocatedStart = HeapAllocation.byThreads("vert.x-eventloop");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      switch (line.trim()) {
        case "reset" -> {
          latency.reset();
          Timeline.reset();
          cpuStart = os.getProcessCpuTime();
          wallStart = System.nanoTime();
          allocatedStart = HeapAllocation.byThreads("vert.x-eventloop");
          System.out.println(new JsonObject().put("ok", true).encode());
        }
        case "report" -> {
          Timeline.print();
          lag.print(Timeline.originMicros());
          JsonObject report = latency.toJson()
              .put("cpuSeconds", (os.getProcessCpuTime() - cpuStart) / 1e9)
              .put("wallSeconds", (System.nanoTime() - wallStart) / 1e9)
              .put("eventLoopAllocatedBytes", HeapAllocation.byThreads("vert.x-eventloop") - allocatedStart)
              .put("timeline", Timeline.toJson());
          System.out.println(report.encode());
        }
        case "quit" -> {
          vertx.close().toCompletionStage().toCompletableFuture().join();
          System.exit(0);
        }
        default -> System.out.println(new JsonObject().put("error", "unknown command").encode());
      }
      System.out.flush();
    }
    vertx.close();
  }

  /**
   * Epoll, as the project's programs use it, unless {@code BENCH_TRANSPORT=nio} (both JVMs of a
   * bench read it): Java NIO's selector, the default before 27 Nov 17:40.
   */
  static boolean nativeTransport() {
    return !"nio".equals(System.getenv("BENCH_TRANSPORT"));
  }

  static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Reads the marker of each frame, then hands the frame to the counting engine unchanged. */
  private static final class MarkerRecognizer implements Recognizer {
    private final Recognizer delegate;
    private final Histogram latency;

    MarkerRecognizer(Recognizer delegate, Histogram latency) {
      this.delegate = delegate;
      this.latency = latency;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public int sampleRate() {
      return delegate.sampleRate();
    }

    @Override
    public Recognition open(RecognitionRequest request, RecognitionListener listener) {
      // the time session.finalize reached the engine; the final that answers it carries it
      long[] finalizeAt = {0};
      Recognition inner = delegate.open(request, new RecognitionListener() {
        @Override
        public void onSpeechStart(double atSeconds) {
          listener.onSpeechStart(atSeconds);
        }

        @Override
        public void onInterim(Hypothesis hypothesis) {
          listener.onInterim(hypothesis);
        }

        @Override
        public void onFinal(Hypothesis h) {
          long at = finalizeAt[0];
          if (at != 0) {
            finalizeAt[0] = 0;
            java.util.Map<String, Object> extra = new java.util.HashMap<>(h.extra() == null ? java.util.Map.of() : h.extra());
            extra.put(FINALIZE_AT, at);
            h = new Hypothesis(h.text(), h.start(), h.end(), h.confidence(), h.words(), extra);
          }
          listener.onFinal(h);
        }

        @Override
        public void onFinalized() {
          listener.onFinalized();
        }

        @Override
        public void onError(Throwable failure) {
          listener.onError(failure);
        }
      });
      return new Recognition() {
        @Override
        public void accept(byte[] pcm) {
          if (pcm.length >= 12 && intLe(pcm, 8) == MAGIC) {
            long now = nowMicros();
            latency.record(now - longLe(pcm, 0));
            Timeline.record(now, now - longLe(pcm, 0));
          }
          inner.accept(pcm);
        }

        @Override
        public void finalizeUtterance() {
          finalizeAt[0] = nowMicros();
          inner.finalizeUtterance();
        }

        @Override
        public long pendingBytes() {
          return inner.pendingBytes();
        }

        @Override
        public void close() {
          inner.close();
        }
      };
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  static long longLe(byte[] b, int at) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }

  static int intLe(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
  }

  /** Diagnostic: per 100 ms of arrival, frames, frames over 10 ms and the worst latency (stderr). */
  static final class Timeline {
    static final int BUCKETS = 2000;
    static final long[] frames = new long[BUCKETS];
    static final long[] slow = new long[BUCKETS];
    static final long[] worst = new long[BUCKETS];
    static volatile long origin = nowMicros();

    static synchronized void record(long now, long latency) {
      int b = (int) ((now - origin) / 100_000);
      if (b < 0 || b >= BUCKETS) {
        return;
      }
      frames[b]++;
      if (latency > 10_000) {
        slow[b]++;
      }
      worst[b] = Math.max(worst[b], latency);
    }

    static long originMicros() {
      return origin;
    }

    /** {@code {"originMicros", "frames": [...], "slow": [...]}}, up to the last bucket with a frame. */
    static synchronized JsonObject toJson() {
      int last = BUCKETS - 1;
      while (last >= 0 && frames[last] == 0) {
        last--;
      }
      io.vertx.core.json.JsonArray f = new io.vertx.core.json.JsonArray();
      io.vertx.core.json.JsonArray sl = new io.vertx.core.json.JsonArray();
      for (int b = 0; b <= last; b++) {
        f.add(frames[b]);
        sl.add(slow[b]);
      }
      return new JsonObject().put("originMicros", origin).put("frames", f).put("slow", sl);
    }

    static synchronized void reset() {
      java.util.Arrays.fill(frames, 0);
      java.util.Arrays.fill(slow, 0);
      java.util.Arrays.fill(worst, 0);
      origin = nowMicros();
    }

    static synchronized void print() {
      StringBuilder out = new StringBuilder("timeline (100 ms buckets with frames over 10 ms): ");
      for (int b = 0; b < BUCKETS; b++) {
        if (slow[b] > 0) {
          out.append(String.format("%n  wall=%.1f frames=%d slow=%d worst=%.1fms", ((origin / 100_000 + b) % 100_000) / 10.0, frames[b], slow[b], worst[b] / 1000.0));
        }
      }
      System.err.println(out);
    }
  }
}
