package org.voicerelay.stt.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
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
  private static final String ROOM_HEADER = "x-livekit-room-id";

  private final Vertx vertx;
  private final String mode;
  private final int keylessFirsts;
  private final int gatewayPort;
  private final NetClient upstreamClient;
  private final Set<String> seenKeys = new HashSet<>();
  private final List<Link> links = new ArrayList<>();
  private int keyless;
  /** The warm-up's connections go through the front uncounted. */
  private volatile boolean warming;

  private FaultGatewayMain(Vertx vertx, String mode, int keylessFirsts, int gatewayPort) {
    this.vertx = vertx;
    this.mode = mode;
    this.keylessFirsts = keylessFirsts;
    this.gatewayPort = gatewayPort;
    this.upstreamClient = vertx.createNetClient();
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
    // two event loops: the gateway verticle on one, the front (created off Vert.x, so on a context
    // of its own) on the other
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
    if (deferred && System.getenv("FAULT_COLD_RESTART") == null) {
      front.warmUp(context);
    }
    println("ready");
    if (!deferred) {
      println("listening " + front.listen(context, port));
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String command = line.trim();
      if (command.startsWith("listen ")) {
        // a deferred process learns its port when told to listen (it was started before it was known)
        println("listening " + front.listen(context, Integer.parseInt(command.substring("listen ".length()).trim())));
        continue;
      }
      switch (command) {
        case "listen" -> println("listening " + front.listen(context, port));
        case "silence" -> println("silenced " + ClientStreams.join(ClientStreams.onContext(context, front::silenceOpen)));
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
   * Warms the restarted gateway's code paths before it listens, as a gateway behind a readiness
   * check is warm before it takes traffic: without it, the first second after the outage measures
   * this JVM's class loading and compilation, not the client. Rounds of streams of the project's
   * client through a second front (its connections are not counted), each writing audio as fast as
   * the gateway takes it. {@code FAULT_COLD_RESTART=1} in the environment skips it.
   */
  private void warmUp(io.vertx.core.Context context) {
    warming = true;
    NetServer warmFront = ClientStreams.join(ClientStreams.onContext(context, () -> frontServer(0)).compose(f -> f));
    warmUpThrough(vertx, warmFront.actualPort());
    ClientStreams.join(warmFront.close());
    warming = false;
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

  private int listen(io.vertx.core.Context context, int port) {
    return ClientStreams.join(ClientStreams.onContext(context, () -> frontServer(port)).compose(f -> f)).actualPort();
  }

  private Future<NetServer> frontServer(int port) {
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(port)
        .setReuseAddress(true).setAcceptBacklog(4096));
    server.connectHandler(Link::new);
    return server.listen();
  }

  /**
   * On the front's context: silences every open connection, how many. That is each stream's first
   * connection unless the stream already lost it before the fault (a starved machine drops a
   * handshake now and then): the fault hits the connection each stream has, as a hung gateway does.
   */
  private int silenceOpen() {
    int n = 0;
    for (Link link : new ArrayList<>(links)) {
      if (!link.closed) {
        link.silence();
        n++;
      }
    }
    return n;
  }

  /** One client connection and its gateway connection. */
  private final class Link {
    final NetSocket downstream;
    NetSocket upstream;
    Buffer head = Buffer.buffer();
    boolean headDone;
    final List<Buffer> pending = new ArrayList<>();
    boolean first;
    boolean silent;
    boolean closed;
    /** drop mode: the gateway's bytes until its 101 answer is complete */
    Buffer answer = Buffer.buffer();

    Link(NetSocket downstream) {
      this.downstream = downstream;
      links.add(this);
      downstream.handler(this::fromClient);
      downstream.closeHandler(v -> close());
      downstream.exceptionHandler(err -> close());
    }

    void fromClient(Buffer data) {
      if (closed || silent) {
        return;
      }
      if (!headDone) {
        head.appendBuffer(data);
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
          if (head.length() > 65_536) {
            close();
          }
          return;
        }
        headDone = true;
        onRequest(text.substring(0, end));
        return;
      }
      if (upstream == null) {
        pending.add(data);
        return;
      }
      upstream.write(data);
      if (upstream.writeQueueFull()) {
        downstream.pause();
        upstream.drainHandler(v -> {
          if (!silent) {
            downstream.resume();
          }
        });
      }
    }

    void onRequest(String requestHead) {
      String key = "-";
      for (String line : requestHead.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT).equals(ROOM_HEADER)) {
          key = line.substring(colon + 1).trim().replace(' ', '_');
        }
      }
      if (!warming) {
        first = key.equals("-") ? keyless++ < keylessFirsts : seenKeys.add(key);
        println("conn " + key + " " + BenchGatewayMain.nowMicros() + " " + (first ? 1 : 0));
      }
      Buffer request = head;
      head = null;
      upstreamClient.connect(gatewayPort, "127.0.0.1").onComplete(ar -> {
        if (ar.failed()) {
          close();
          return;
        }
        if (closed) {
          ar.result().close();
          return;
        }
        upstream = ar.result();
        upstream.handler(this::fromGateway);
        // a silent connection stays open toward the client even when the gateway ends its side
        upstream.closeHandler(v -> upstreamGone());
        upstream.exceptionHandler(err -> upstreamGone());
        upstream.write(request);
        pending.forEach(upstream::write);
        pending.clear();
        if (silent) {
          upstream.pause();
        }
      });
    }

    void fromGateway(Buffer data) {
      if (closed || silent) {
        return;
      }
      if (mode.equals("drop")) {
        answer.appendBuffer(data);
        int end = answer.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        if (end >= 0) {
          downstream.write(answer.getBuffer(0, end + 4)).onComplete(v -> close());
        }
        return;
      }
      downstream.write(data);
      if (downstream.writeQueueFull()) {
        upstream.pause();
        downstream.drainHandler(v -> {
          if (!silent) {
            upstream.resume();
          }
        });
      }
    }

    void upstreamGone() {
      if (!silent) {
        close();
      }
    }

    /** Nothing passes either way from now on; the connection stays open. */
    void silence() {
      silent = true;
      downstream.pause();
      if (upstream != null) {
        upstream.pause();
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      links.remove(this);
      downstream.close();
      if (upstream != null) {
        upstream.close();
      }
    }
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
