package org.voicerelay.stt.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;

/**
 * The whole path for fault tests, in the test's Vert.x: the local gateway with the counting
 * engine, a {@link FaultProxy} in front of it, and an {@link SttVerticle} whose client goes
 * through the proxy. Tests use the event bus only, like an application.
 */
final class FaultStack {

  static final String API_KEY = "fault-key";
  static final String API_SECRET = "fault-secret-Zq8LwX3vN1pR6tYb-do-not-leak";
  static final int RATE = 16_000;
  static final int BYTES_PER_SECOND = RATE * 2;

  final Vertx vertx;
  final LocalGatewayVerticle gateway;
  final FaultProxy proxy;
  final SttVerticle verticle;

  private FaultStack(Vertx vertx, LocalGatewayVerticle gateway, FaultProxy proxy, SttVerticle verticle) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.proxy = proxy;
    this.verticle = verticle;
  }

  /**
   * @param endpointSeconds the counting engine finalizes an utterance at this much audio (0:
   *     only on finalize), so a long stream gets final transcripts as it goes
   */
  static Future<FaultStack> deploy(Vertx vertx, double endpointSeconds,
      java.util.function.Consumer<SttVerticleOptions> tweak) {
    LocalGatewayVerticle gateway = new LocalGatewayVerticle(new LocalGatewayOptions()
        .setRecognizer("counting")
        .setRecognizerConfig(new JsonObject().put("endpointSeconds", endpointSeconds)
            .put("interimEveryFrames", 10))
        .setApiKey(API_KEY).setApiSecret(API_SECRET)
        .setMaxPendingBytes(64L * 1024 * 1024));
    return vertx.deployVerticle(gateway)
        .compose(id -> FaultProxy.start(vertx, gateway.actualPort()))
        .compose(proxy -> {
          SttVerticleOptions options = new SttVerticleOptions()
              .setClient(new SttOptions()
                  .setBaseUrl("http://127.0.0.1:" + proxy.port() + "/v1")
                  .setApiKey(API_KEY)
                  .setApiSecret(API_SECRET)
                  .setFinalQuietMs(200)
                  // the client's default connect timeout: the tests count reconnects, and a cold
                  // JVM's first connection on a loaded machine has taken over 2 s
                  .setConnectOptions(new ConnectOptions().setTimeoutMs(ConnectOptions.DEFAULT_TIMEOUT_MS)
                      .setMaxRetry(3).setMaxDelayMs(200)))
              .setShutdownTimeoutMs(2_000)
              .setClosedSessionLingerMs(500)
              // these tests are about faults: a busy machine's lag or a burst of opens must not
              // refuse their opens (admission control has its own tests)
              .setAdmission(Fixtures.relaxedAdmission());
          tweak.accept(options);
          SttVerticle verticle = new SttVerticle(options, null);
          return vertx.deployVerticle(verticle).map(id -> new FaultStack(vertx, gateway, proxy, verticle));
        });
  }

  Future<JsonObject> open(String eventsAddress) {
    return vertx.eventBus().<JsonObject>request("stt.open", new JsonObject().put("sampleRate", RATE)
        .put("eventsAddress", eventsAddress)).map(Message::body);
  }

  Future<JsonObject> control(JsonObject session, String action) {
    return vertx.eventBus().<JsonObject>request(session.getString("controlAddress"),
        new JsonObject().put("action", action), new DeliveryOptions().setSendTimeout(20_000))
        .map(Message::body);
  }

  /** Live sessions on the node, from the verticle's own gauge. */
  double sessionsOpen() {
    Gauge g = verticle.meterRegistry().find("stt.sessions.open").gauge();
    return g == null ? -1 : g.value();
  }

  // ---------------------------------------------------------------- audio

  /**
   * {@code seconds} of audio in which no two 2-byte samples positions repeat a pattern, so a
   * CRC tells a lost, repeated or reordered chunk apart from the right one.
   */
  static byte[] audio(double seconds) {
    byte[] pcm = new byte[(int) Math.round(seconds * RATE) * 2];
    long x = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < pcm.length; i += 2) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      pcm[i] = (byte) x;
      pcm[i + 1] = (byte) ((x >>> 8) & 0x3f);
    }
    return pcm;
  }

  /**
   * Sends {@code pcm} fire-and-forget in chunks of {@code chunkBytes}, one every {@code periodMs}
   * (live audio; 100 ms chunks every 10 ms is 10x real time). {@code afterChunk} runs after each
   * chunk with its 1-based index, so faults land at fixed positions of the audio. Each chunk
   * waits {@code periodMs} after the one before (not a fixed-rate periodic timer, which after a
   * stall of a loaded machine sends the missed chunks at once): faults stay as far apart in time
   * as in the audio.
   */
  Future<Void> live(JsonObject session, byte[] pcm, int chunkBytes, long periodMs, IntConsumer afterChunk) {
    Promise<Void> done = Promise.promise();
    String address = session.getString("audioAddress");
    int[] sent = {0};
    Handler<Long> next = new Handler<>() {
      @Override
      public void handle(Long id) {
        int offset = sent[0] * chunkBytes;
        if (offset >= pcm.length) {
          done.complete();
          return;
        }
        int end = Math.min(pcm.length, offset + chunkBytes);
        vertx.eventBus().send(address, Buffer.buffer().appendBytes(pcm, offset, end - offset));
        sent[0]++;
        afterChunk.accept(sent[0]);
        vertx.setTimer(periodMs, this);
      }
    };
    vertx.setTimer(periodMs, next);
    return done.future();
  }

  /** Request/reply audio with at most {@code window} chunks unanswered. Completes with chunks answered. */
  Windowed windowed(JsonObject session, byte[] pcm, int chunkBytes, int window) {
    return new Windowed(session.getString("audioAddress"), pcm, chunkBytes, window);
  }

  final class Windowed {
    final Promise<Void> done = Promise.promise();
    private final String address;
    private final byte[] pcm;
    private final int chunkBytes;
    private final int window;
    int offset;
    int inFlight;
    int answered;

    Windowed(String address, byte[] pcm, int chunkBytes, int window) {
      this.address = address;
      this.pcm = pcm;
      this.chunkBytes = chunkBytes;
      this.window = window;
      vertx.runOnContext(v -> pump());
    }

    private void pump() {
      while (inFlight < window && offset < pcm.length) {
        int end = Math.min(pcm.length, offset + chunkBytes);
        Buffer chunk = Buffer.buffer().appendBytes(pcm, offset, end - offset);
        offset = end;
        inFlight++;
        vertx.eventBus().request(address, chunk, new DeliveryOptions().setSendTimeout(60_000)).onComplete(ar -> {
          inFlight--;
          if (ar.failed()) {
            done.tryFail(ar.cause());
          } else {
            answered++;
            pump();
          }
        });
      }
      if (offset >= pcm.length && inFlight == 0) {
        done.tryComplete();
      }
    }
  }

  // ---------------------------------------------------------------- events

  static final class Events {
    final List<JsonObject> all = new ArrayList<>();
    private final List<Object[]> waiters = new ArrayList<>();
    private final MessageConsumer<JsonObject> consumer;

    private Events(Vertx vertx, String address) {
      consumer = vertx.eventBus().consumer(address, m -> {
        all.add(m.body());
        waiters.removeIf(w -> {
          @SuppressWarnings("unchecked")
          Predicate<JsonObject> p = (Predicate<JsonObject>) w[0];
          @SuppressWarnings("unchecked")
          Promise<JsonObject> promise = (Promise<JsonObject>) w[1];
          return p.test(m.body()) && promise.tryComplete(m.body());
        });
      });
    }

    static Future<Events> on(Vertx vertx, String address) {
      Events e = new Events(vertx, address);
      return e.consumer.completion().map(e);
    }

    Future<JsonObject> first(Predicate<JsonObject> p) {
      for (JsonObject e : all) {
        if (p.test(e)) {
          return Future.succeededFuture(e);
        }
      }
      Promise<JsonObject> promise = Promise.promise();
      waiters.add(new Object[] {p, promise});
      return promise.future();
    }

    Future<JsonObject> closed() {
      return first(e -> "closed".equals(e.getString("type")));
    }

    List<JsonObject> ofType(String type) {
      return all.stream().filter(e -> type.equals(e.getString("type"))).toList();
    }

    List<JsonObject> errors(boolean retryable) {
      return ofType("error").stream()
          .filter(e -> e.getJsonObject("error").getBoolean("retryable", false) == retryable).toList();
    }

    Future<Void> stop() {
      return consumer.unregister();
    }
  }

  // ---------------------------------------------------------------- checks

  /**
   * Every byte of {@code pcm} was transcribed exactly once and in order: the final transcripts,
   * on the stream's clock, tile [0, duration] without gap or overlap, and the counting engine's
   * CRC32 of each utterance equals the CRC32 of that span of what was sent.
   *
   * @return the number of final transcripts
   */
  static int assertEveryByteTranscribedOnce(List<JsonObject> finals, byte[] pcm) {
    long expectedStart = 0;
    long bytes = 0;
    for (JsonObject f : finals) {
      JsonObject alt = f.getJsonArray("alternatives").getJsonObject(0);
      long start = Math.round(alt.getDouble("startTime") * BYTES_PER_SECOND);
      long end = Math.round(alt.getDouble("endTime") * BYTES_PER_SECOND);
      JsonObject meta = alt.getJsonObject("metadata");
      long n = meta.getLong("bytes");
      if (n == 0) {
        continue;
      }
      assertEquals(expectedStart, start, "final transcript " + alt.encode() + " does not start where the previous ended");
      assertEquals(end - start, n, "bytes of " + alt.encode());
      CRC32 crc = new CRC32();
      crc.update(pcm, (int) start, (int) n);
      assertEquals(crc.getValue(), meta.getLong("checksum"), "checksum of " + alt.encode());
      expectedStart = end;
      bytes += n;
    }
    assertEquals(pcm.length, bytes, "bytes transcribed");
    assertTrue(!finals.isEmpty());
    return finals.size();
  }
}
