package org.voicerelay.stt.bus;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;

/**
 * A local gateway on a free port and an {@link SttVerticle} pointed at it, deployed into the test's
 * Vert.x, plus the few bus calls the tests share. Tests talk to the verticle through the event
 * bus only.
 */
final class BusTestStack {

  static final Path SAMPLES = Path.of("scripts", "samples");

  final Vertx vertx;
  final LocalGatewayVerticle gateway;
  final SttVerticle verticle;
  final String verticleDeployment;

  private BusTestStack(Vertx vertx, LocalGatewayVerticle gateway, SttVerticle verticle, String deployment) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.verticle = verticle;
    this.verticleDeployment = deployment;
  }

  static Future<BusTestStack> deploy(Vertx vertx) {
    return deploy(vertx, "counting", o -> {
    });
  }

  static Future<BusTestStack> deploy(Vertx vertx, Consumer<SttVerticleOptions> tweak) {
    return deploy(vertx, "counting", tweak);
  }

  static Future<BusTestStack> deploy(Vertx vertx, String recognizer, Consumer<SttVerticleOptions> tweak) {
    return deploy(vertx, recognizer, tweak, null);
  }

  static Future<BusTestStack> deploy(Vertx vertx, String recognizer, Consumer<SttVerticleOptions> tweak,
      MeterRegistry registry) {
    LocalGatewayVerticle gateway = Fixtures.localGateway(recognizer);
    return vertx.deployVerticle(gateway).compose(gwId -> {
      SttVerticleOptions options = new SttVerticleOptions()
          .setClient(Fixtures.clientOptions(gateway.actualPort()))
          // the test's Vert.x closes the gateway beside the verticle, so open sessions cannot end
          // gracefully at teardown and wait this long to be aborted: short, as no test here waits on it
          .setShutdownTimeoutMs(500)
          .setClosedSessionLingerMs(2_000)
          .setAdmission(Fixtures.relaxedAdmission());
      tweak.accept(options);
      SttVerticle verticle = new SttVerticle(options, registry);
      return vertx.deployVerticle(verticle).map(id -> new BusTestStack(vertx, gateway, verticle, id));
    });
  }

  Future<JsonObject> open(JsonObject request) {
    return vertx.eventBus().<JsonObject>request("stt.open", request).map(Message::body);
  }

  Future<JsonObject> control(JsonObject session, String action) {
    return control(session, new JsonObject().put("action", action));
  }

  Future<JsonObject> control(JsonObject session, JsonObject request) {
    return vertx.eventBus().<JsonObject>request(session.getString("controlAddress"), request,
        new DeliveryOptions().setSendTimeout(20_000)).map(Message::body);
  }

  Future<JsonObject> audio(JsonObject session, Object body) {
    return vertx.eventBus().<JsonObject>request(session.getString("audioAddress"), body).map(Message::body);
  }

  /**
   * Sends {@code pcm} in chunks as request/reply audio, keeping at most {@code window} chunks
   * unanswered: the way a sender faster than real time is paced by the gateway.
   */
  Future<Void> stream(JsonObject session, byte[] pcm, int chunkBytes, int window) {
    return stream(session, pcm, chunkBytes, window, new DeliveryOptions());
  }

  /** As above, each chunk sent with {@code delivery} (a codec, say). */
  Future<Void> stream(JsonObject session, byte[] pcm, int chunkBytes, int window, DeliveryOptions delivery) {
    return new WindowedSender(vertx, session.getString("audioAddress"), pcm, chunkBytes, window, delivery).start();
  }

  static WavFile sample(String name) {
    try {
      return WavFile.parse(Files.readAllBytes(SAMPLES.resolve(name)));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read sample " + name, e);
    }
  }

  /** Sends chunks with a bounded number of unanswered requests. */
  private static final class WindowedSender {
    private final Vertx vertx;
    private final String address;
    private final byte[] pcm;
    private final int chunkBytes;
    private final int window;
    private final DeliveryOptions delivery;
    private final io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    private int offset;
    private int inFlight;

    WindowedSender(Vertx vertx, String address, byte[] pcm, int chunkBytes, int window, DeliveryOptions delivery) {
      this.vertx = vertx;
      this.address = address;
      this.pcm = pcm;
      this.chunkBytes = chunkBytes;
      this.window = window;
      this.delivery = delivery;
    }

    Future<Void> start() {
      vertx.runOnContext(v -> pump());
      return done.future();
    }

    private void pump() {
      while (inFlight < window && offset < pcm.length) {
        int end = Math.min(pcm.length, offset + chunkBytes);
        Buffer chunk = Buffer.buffer().appendBytes(pcm, offset, end - offset);
        offset = end;
        inFlight++;
        vertx.eventBus().request(address, chunk, delivery).onComplete(ar -> {
          inFlight--;
          if (ar.failed()) {
            done.tryFail(ar.cause());
          } else {
            pump();
          }
        });
      }
      if (offset >= pcm.length && inFlight == 0) {
        done.tryComplete();
      }
    }
  }
}
