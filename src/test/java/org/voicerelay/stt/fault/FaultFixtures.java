package org.voicerelay.stt.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.zip.CRC32;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.TestStack;

/**
 * What the fault tests share: their {@link TestStack} (the local gateway with the counting engine
 * and credentials of its own, a {@link FaultProxy} in front of it, the verticle's client going
 * through the proxy), audio whose every chunk can be told apart, live sending, and the check that
 * every byte was transcribed exactly once.
 */
final class FaultFixtures {

  static final String API_KEY = "fault-key";
  static final String API_SECRET = "fault-secret-Zq8LwX3vN1pR6tYb-do-not-leak";
  static final int RATE = 16_000;
  static final int BYTES_PER_SECOND = RATE * 2;

  private FaultFixtures() {
  }

  /**
   * The fault tests' stack, to deploy (add the test's own {@code verticle(...)} changes first).
   *
   * @param endpointSeconds the counting engine finalizes an utterance at this much audio (0:
   *     only on finalize), so a long stream gets final transcripts as it goes
   */
  static TestStack.Builder stack(double endpointSeconds) {
    return TestStack.builder()
        .gateway(() -> new LocalGatewayVerticle(new LocalGatewayOptions()
            .setRecognizer("counting")
            .setRecognizerConfig(new JsonObject().put("endpointSeconds", endpointSeconds)
                .put("interimEveryFrames", 10))
            .setApiKey(API_KEY).setApiSecret(API_SECRET)
            .setMaxPendingBytes(64L * 1024 * 1024)))
        .faultProxy()
        .client(proxyPort -> new SttOptions()
            .setBaseUrl("http://127.0.0.1:" + proxyPort + "/v1")
            .setApiKey(API_KEY)
            .setApiSecret(API_SECRET)
            .setFinalQuietMs(200)
            // the client's default connect timeout: the tests count reconnects, and a cold
            // JVM's first connection on a loaded machine has taken over 2 s
            .setConnectOptions(new ConnectOptions().setTimeoutMs(ConnectOptions.DEFAULT_TIMEOUT_MS)
                .setMaxRetry(3).setMaxDelayMs(200)))
        .verticle(o -> o.setShutdownTimeoutMs(2_000).setClosedSessionLingerMs(500));
  }

  /** Live sessions on the node, from the verticle's own gauge. */
  static double sessionsOpen(TestStack stack) {
    return stack.gauge("stt.sessions.open");
  }

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
  static Future<Void> live(Vertx vertx, JsonObject session, byte[] pcm, int chunkBytes, long periodMs, IntConsumer afterChunk) {
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
