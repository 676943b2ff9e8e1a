package org.voicerelay.stt.cli;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.voicerelay.stt.bus.AudioCodec;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.bus.WindowedAudioSender;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;

/**
 * The main job: transcribes WAV files through the whole path (event bus → {@code SttVerticle}
 * → client → gateway) and prints transcripts as they arrive. Uses LiveKit Cloud when
 * {@code LIVEKIT_INFERENCE_URL} and credentials are set, else starts the local gateway with the
 * offline engine. Usage: {@code scripts/transcribe --help}.
 */
public final class Transcribe {

  static final String DEFAULT_RECORDING = "scripts/samples/rms-long-16k-mono.wav";

  private final Vertx vertx;
  private final TranscriptPrinter printer;
  private final boolean fast;
  private final String model;

  private Transcribe(Vertx vertx, TranscriptPrinter printer, boolean fast, String model) {
    this.vertx = vertx;
    this.printer = printer;
    this.fast = fast;
    this.model = model;
  }

  /** What the command line asks for; null {@code files} means help was asked for. */
  record CommandLine(boolean fast, boolean json, String model, List<String> files) {
  }

  public static void main(String[] args) {
    CommandLine line;
    try {
      line = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("transcribe: " + e.getMessage());
      System.err.println(Usage.of("transcribe"));
      System.exit(2);
      return;
    }
    if (line.files() == null) {
      System.out.println(Usage.of("transcribe"));
      return;
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)); // epoll where it loads
    TranscriptPrinter printer = new TranscriptPrinter(vertx, out, line.json());
    Transcribe job = new Transcribe(vertx, printer, line.fast(), line.model());
    int exit = 0;
    try {
      job.deploy(System.getenv()).compose(v -> job.transcribeAll(line.files())).await();
    } catch (Exception e) {
      System.err.println("transcribe: " + e.getMessage());
      exit = 1;
    }
    printer.drain().await();
    vertx.close().await();
    System.exit(exit);
  }

  /** Reads the command line; a malformed one is an {@link IllegalArgumentException} with the reason. */
  static CommandLine parse(String[] args) {
    boolean fast = false;
    boolean json = false;
    String model = "deepgram/nova-3";
    List<String> files = new ArrayList<>();
    boolean readingOptions = true;
    for (int i = 0; i < args.length; i++) {
      if (!readingOptions) {
        files.add(args[i]);
        continue;
      }
      switch (args[i]) {
        case "--" -> readingOptions = false;
        case "--fast" -> fast = true;
        case "--json" -> json = true;
        case "--model" -> {
          if (i + 1 == args.length) {
            throw new IllegalArgumentException("--model needs a value");
          }
          model = args[++i];
        }
        case "-h", "--help" -> {
          return new CommandLine(fast, json, model, null);
        }
        default -> {
          if (args[i].startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + args[i]);
          }
          files.add(args[i]);
        }
      }
    }
    if (files.isEmpty()) {
      files.add(DEFAULT_RECORDING);
    }
    return new CommandLine(fast, json, model, files);
  }

  /** Deploys the local gateway unless the cloud is configured, then the verticle. */
  Future<Void> deploy(Map<String, String> env) {
    JsonObject client = new JsonObject();
    Future<Void> gateway;
    boolean cloud = env.containsKey("LIVEKIT_INFERENCE_URL")
        && (env.containsKey("LIVEKIT_INFERENCE_API_KEY") || env.containsKey("LIVEKIT_API_KEY"))
        && (env.containsKey("LIVEKIT_INFERENCE_API_SECRET") || env.containsKey("LIVEKIT_API_SECRET"));
    if (cloud) {
      printer.header("# gateway: " + env.get("LIVEKIT_INFERENCE_URL"));
      gateway = Future.succeededFuture();
    } else {
      byte[] secret = new byte[24];
      new SecureRandom().nextBytes(secret);
      String apiSecret = HexFormat.of().formatHex(secret);
      LocalGatewayVerticle local = new LocalGatewayVerticle(new LocalGatewayOptions()
          .setApiKey("transcribe").setApiSecret(apiSecret));
      printer.header("# starting the local gateway (offline engine; loading the model takes a few seconds)");
      gateway = vertx.deployVerticle(local).map(id -> {
        client.put("baseUrl", "http://127.0.0.1:" + local.actualPort() + "/v1")
            .put("apiKey", "transcribe").put("apiSecret", apiSecret);
        printer.header("# local gateway on ws://127.0.0.1:" + local.actualPort() + "/v1/stt");
        return null;
      });
    }
    return gateway.compose(v -> vertx.deployVerticle(new SttVerticle(new SttVerticleOptions(
        new JsonObject().put("client", client).put("metrics", new JsonObject().put("enabled", false))))))
        .mapEmpty();
  }

  Future<Void> transcribeAll(List<String> files) {
    Future<Void> chain = Future.succeededFuture();
    for (String file : files) {
      chain = chain.compose(v -> transcribe(file));
    }
    return chain;
  }

  private Future<Void> transcribe(String path) {
    return vertx.fileSystem().readFile(path)
        .recover(err -> Future.failedFuture("cannot read " + path + ": " + err.getMessage()))
        .compose(bytes -> vertx.executeBlocking(() -> WavFile.parse(bytes)))
        .recover(err -> Future.failedFuture(path + ": " + err.getMessage()))
        .compose(wav -> {
          printer.header(String.format(java.util.Locale.ROOT, "# %s: %.1f s, %d Hz, %d channel%s%s",
              path, wav.durationSeconds(), wav.sampleRate(), wav.channels(),
              wav.channels() == 1 ? "" : "s (mixed to mono)", fast ? ", fast" : ", real time"));
          return stream(wav);
        });
  }

  private Future<Void> stream(WavFile wav) {
    JsonObject open = new JsonObject().put("model", model).put("language", "en")
        .put("sampleRate", wav.sampleRate());
    return vertx.eventBus().<JsonObject>request(BusContract.openAddress(BusContract.DEFAULT_PREFIX), open).compose(reply -> {
      JsonObject session = reply.body();
      Promise<Void> closed = Promise.promise();
      MessageConsumer<JsonObject> events = vertx.eventBus().consumer(session.getString("eventsAddress"));
      events.handler(message -> {
        JsonObject event = message.body();
        printer.event(event);
        if (BusContract.EVENT_CLOSED.equals(event.getString("type"))) {
          closed.tryComplete();
        }
      });
      boolean codec = AudioCodec.namedIn(session);
      if (codec) {
        AudioCodec.register(vertx);
      }
      WindowedAudioSender sender = WindowedAudioSender.create(vertx, session)
          .setWriteQueueMaxSize(RecordingPlayer.WINDOW)
          .setDeliveryOptions((codec ? AudioCodec.deliveryOptions() : new DeliveryOptions()).setSendTimeout(30_000));
      RecordingPlayer player = new RecordingPlayer(vertx, sender, Buffer.buffer(wav.pcm()), wav.sampleRate(), !fast,
          printer::progress);
      return events.completion()
          .compose(v -> player.play())
          .compose(v -> sender.end())
          .compose(v -> closed.future())
          .eventually(events::unregister);
    });
  }
}
