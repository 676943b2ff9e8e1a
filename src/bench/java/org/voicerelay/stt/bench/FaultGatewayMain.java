package org.voicerelay.stt.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamOptions;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.gateway.CountingRecognizer;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.gateway.engine.ForwardingRecognition;
import org.voicerelay.stt.gateway.engine.Hypothesis;
import org.voicerelay.stt.gateway.engine.Recognition;
import org.voicerelay.stt.gateway.engine.RecognitionListener;
import org.voicerelay.stt.gateway.engine.RecognitionRequest;
import org.voicerelay.stt.gateway.engine.Recognizer;

/**
 * The gateway of the fault benchmark ({@link FaultBench}), in a JVM of its own so that it can be
 * killed with SIGKILL: the local gateway ({@link LocalGatewayVerticle}, unchanged) on a loopback
 * port of its own, behind a TCP front in the same process on the port the clients use. Killing
 * the process closes both at once, as a gateway restart does: open connections are cut by the
 * kernel and the port refuses connections until the next process listens on it.
 *
 * <p>The engine is the counting engine ({@link CountingRecognizer}: a final every
 * {@code endpointSeconds} of audio, with the bytes and CRC32 it covers) with an interim transcript
 * after every {@code interimMs} of audio received (counted in bytes, so a replay in large frames
 * gets its interims too), instead of the counting engine's every 20 frames.
 *
 * <p>The front reads each upgrade request's {@code X-LiveKit-Room-ID} (the bench gives every
 * stream a room of its own) and prints {@code conn KEY MICROS FIRST} for every connection, flushed
 * at once, so the parent keeps the count of a process it kills. A connection without that header
 * (LiveKit's Node client sends none) is keyed {@code -}, and counted as a stream's first while
 * fewer than {@code --streams} such connections came. Modes:
 * <ul>
 *   <li>{@code pass}: every connection goes through to the gateway; the command {@code silence}
 *       makes every open connection (each stream's first, in a run where none was lost before)
 *       go silent both ways (nothing is forwarded, pings and pongs included) and stay open;
 *       later connections pass;</li>
 *   <li>{@code drop}: every upgrade is passed to the gateway, its {@code 101} answer forwarded,
 *       and the connection closed at once (accept-then-drop).</li>
 * </ul>
 *
 * <p>Usage: {@code FaultGatewayMain --port P --mode pass|drop --streams N --endpoint-seconds 5
 * --interim-ms 500 [--deferred]}. With {@code --deferred} the front listens only when told
 * {@code listen} (or {@code listen PORT}) on standard input (the restart's second process starts
 * early, so the outage is what the bench chose, not a JVM's start-up). Prints {@code ready} when the gateway is up,
 * {@code listening PORT} when the front is. Commands: {@code listen}, {@code silence} (answered
 * {@code silenced N}), {@code quit}.
 */
public final class FaultGatewayMain {

  private static final PrintStream OUT = System.out;

  private final Vertx vertx;
  private final String mode;
  private final int keylessFirsts;
  private final int gatewayPort;
  /** The fronts' one thread: their state needs no locks. */
  private final EventLoopGroup frontLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private FaultFront front;
  private final Set<String> seenKeys = new HashSet<>();
  private int keyless;

  private FaultGatewayMain(Vertx vertx, String mode, int keylessFirsts, int gatewayPort) {
    this.vertx = vertx;
    this.mode = mode;
    this.keylessFirsts = keylessFirsts;
    this.gatewayPort = gatewayPort;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = BenchArgs.parse(argv);
    int port = BenchArgs.intArg(args, "port", 0);
    String mode = args.getOrDefault("mode", "pass");
    int streams = BenchArgs.intArg(args, "streams", 1);
    double endpointSeconds = Double.parseDouble(args.getOrDefault("endpoint-seconds", "5"));
    int interimMs = BenchArgs.intArg(args, "interim-ms", 500);
    boolean deferred = args.containsKey("deferred");
    if (!mode.equals("pass") && !mode.equals("drop")) {
      throw new IllegalArgumentException("--mode must be pass or drop, got " + mode);
    }
    // two event loops: the gateway verticle on one, the stall watch's second timer on the other;
    // the front has a thread of its own
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2)
        .setPreferNativeTransport(BenchGatewayMain.nativeTransport()));
    // interims by bytes below; the counting engine's own every 20 frames are off
    Recognizer engine = new InterimEvery(new CountingRecognizer(new JsonObject()
        .put("endpointSeconds", endpointSeconds).put("interimEveryFrames", Integer.MAX_VALUE)), interimMs);
    LocalGatewayOptions options = new LocalGatewayOptions().setRecognizer("counting").setPort(0).setHost("127.0.0.1")
        .setMaxSessions(100_000).setIdleTimeout(600_000).setMaxPendingBytes(64L * 1024 * 1024)
        .setSessionClosedReply(Boolean.parseBoolean(args.getOrDefault("session-closed-reply", "false")))
        .setApiKey(System.getenv().getOrDefault("BENCH_API_KEY", BenchGatewayMain.API_KEY))
        .setApiSecret(System.getenv().getOrDefault("BENCH_API_SECRET", BenchGatewayMain.API_SECRET));
    LocalGatewayVerticle gateway = new LocalGatewayVerticle(options, engine);
    vertx.deployVerticle(gateway).toCompletionStage().toCompletableFuture().join();
    FaultGatewayMain front = new FaultGatewayMain(vertx, mode, streams, gateway.actualPort());
    io.vertx.core.Context context = vertx.getOrCreateContext();
    watchStalls(vertx, context);
    vertx.runOnContext(v -> watchStalls(vertx, vertx.getOrCreateContext()));
    if (System.getenv("FAULT_COLD_GATEWAY") == null) {
      front.warmUp();
    }
    println("ready");
    if (!deferred) {
      println("listening " + front.listen(port));
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String command = line.trim();
      if (command.startsWith("listen ")) {
        // a deferred process learns its port when told to listen (it was started before it was known)
        println("listening " + front.listen(Integer.parseInt(command.substring("listen ".length()).trim())));
        continue;
      }
      switch (command) {
        case "listen" -> println("listening " + front.listen(port));
        case "silence" -> println("silenced " + front.front.silenceOpen());
        case "quit" -> {
          vertx.close().toCompletionStage().toCompletableFuture().join();
          System.exit(0);
        }
        default -> println("error unknown command");
      }
    }
    vertx.close();
  }

  /**
   * Warms the gateway's code paths before it listens, as a gateway behind a readiness check is warm
   * before it takes traffic: without it, the first second after a restart measures this JVM's class
   * loading and compilation, not the client, and so did the first reconnects after a silence (100
   * streams took 0.32-0.38 s to connect instead of 0.14). Rounds of streams of the project's client
   * through a second front whose connections are not counted, each writing audio as fast as the
   * gateway takes it. {@code FAULT_COLD_GATEWAY=1} in the environment skips it.
   */
  private void warmUp() throws InterruptedException {
    FaultFront warmFront = FaultFront.listen(frontLoop, 0, gatewayPort, false, key -> { });
    warmUpThrough(vertx, warmFront.port());
    warmFront.close();
  }

  private static void warmUpThrough(Vertx vertx, int gatewayPort) {
    int streams = 50;
    int rounds = 10;
    SttClient client = SttClient.create(vertx, new SttOptions().setBaseUrl("http://127.0.0.1:" + gatewayPort + "/v1")
        .setApiKey(System.getenv().getOrDefault("BENCH_API_KEY", BenchGatewayMain.API_KEY))
        .setApiSecret(System.getenv().getOrDefault("BENCH_API_SECRET", BenchGatewayMain.API_SECRET)));
    Buffer chunk = Buffer.buffer(new byte[1600]);
    for (int r = 0; r < rounds; r++) {
      List<Future<Void>> ends = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        ends.add(ClientStreams.onContext(vertx.getOrCreateContext(), () -> {
          SpeechStream stream = client.stream(new StreamOptions());
          for (int k = 0; k < 100; k++) {
            stream.write(chunk);
          }
          return stream.end();
        }).compose(f -> f));
      }
      ClientStreams.join(Future.join(ends));
    }
    ClientStreams.join(client.close());
  }

  /**
   * Reports this process's stalls, as a 10 ms timer on {@code context}'s event loop sees them: each
   * second in which a tick came more than 50 ms late prints {@code stall MICROS MS} (the worst
   * lateness), so the bench can tell a run whose gateway was starved of CPU.
   */
  private static void watchStalls(Vertx vertx, io.vertx.core.Context context) {
    context.runOnContext(v -> {
      long[] last = {System.nanoTime()};
      long[] worst = {0};
      long[] second = {System.nanoTime()};
      vertx.setPeriodic(10, id -> {
        long now = System.nanoTime();
        worst[0] = Math.max(worst[0], now - last[0] - 10_000_000L);
        last[0] = now;
        if (now - second[0] >= 1_000_000_000L) {
          if (worst[0] > 50_000_000L) {
            println("stall " + BenchGatewayMain.nowMicros() + " " + worst[0] / 1_000_000);
          }
          worst[0] = 0;
          second[0] = now;
        }
      });
    });
  }

  private static synchronized void println(String line) {
    OUT.println(line);
    OUT.flush();
  }

  /** Listens on {@code port} (0: any) with a front whose connections are counted; returns the port. */
  private int listen(int port) throws InterruptedException {
    front = FaultFront.listen(frontLoop, port, gatewayPort, mode.equals("drop"), this::counted);
    return front.port();
  }

  /** On the front's thread: prints {@code conn KEY MICROS FIRST} for a connection of the stream {@code key}. */
  private void counted(String key) {
    boolean first = key.equals("-") ? keyless++ < keylessFirsts : seenKeys.add(key);
    println("conn " + key + " " + BenchGatewayMain.nowMicros() + " " + (first ? 1 : 0));
  }

  /** The counting engine with an interim after every {@code interimMs} of audio, by bytes. */
  static final class InterimEvery implements Recognizer {
    private final Recognizer delegate;
    private final long interimBytes;

    InterimEvery(Recognizer delegate, int interimMs) {
      this.delegate = delegate;
      this.interimBytes = (long) delegate.sampleRate() * 2 * interimMs / 1000;
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
      long[] bytes = {0, 0}; // total received, of the utterance since the last final
      double rate = delegate.sampleRate() * 2.0;
      Recognition inner = delegate.open(request, new RecognitionListener() {
        @Override
        public void onSpeechStart(double atSeconds) {
          listener.onSpeechStart(atSeconds);
        }

        @Override
        public void onInterim(Hypothesis hypothesis) {
          // none: the counting engine's interims are off (interimEveryFrames = MAX_VALUE)
        }

        @Override
        public void onFinal(Hypothesis h) {
          bytes[1] = 0;
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
      return new ForwardingRecognition(inner) {
        @Override
        public void accept(byte[] pcm) {
          long before = bytes[0];
          bytes[0] += pcm.length;
          bytes[1] += pcm.length;
          super.accept(pcm);
          // an interim for each boundary of interimBytes crossed, unless that frame ended the utterance
          if (bytes[1] != 0 && before / interimBytes != bytes[0] / interimBytes) {
            double end = bytes[0] / rate;
            listener.onInterim(new Hypothesis("bytes " + bytes[0], (bytes[0] - bytes[1]) / rate, end, 1.0,
                List.of(), Map.of()));
          }
        }
      };
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
