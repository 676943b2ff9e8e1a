package org.voicerelay.stt.testing;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.bus.AdmissionOptions;
import org.voicerelay.stt.bus.MetricsOptions;
import org.voicerelay.stt.bus.PrometheusOptions;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;

/** What the test stacks share: the local gateway and a client for it, audio, relaxed admission, failure codes. */
public final class Fixtures {

  public static final String API_KEY = "devkey";
  public static final String API_SECRET = "devsecret-for-tests-only-0123456789";
  /** The recordings (and their transcripts) the tests play. */
  public static final Path SAMPLES = Path.of("scripts", "samples");

  private Fixtures() {
  }

  /** A local gateway with the counting recognizer (deploy it; then {@code actualPort()}). */
  public static LocalGatewayVerticle countingGateway() {
    return localGateway("counting");
  }

  /** A local gateway with this recognizer ({@code counting} or {@code sphinx}) and the test credentials. */
  public static LocalGatewayVerticle localGateway(String recognizer) {
    return new LocalGatewayVerticle(new LocalGatewayOptions().setRecognizer(recognizer).setApiKey(API_KEY)
        .setApiSecret(API_SECRET));
  }

  /** Client options for a local gateway on this port: quick finals, one quick retry. */
  public static SttOptions clientOptions(int gatewayPort) {
    return new SttOptions()
        .setBaseUrl("http://127.0.0.1:" + gatewayPort + "/v1")
        .setApiKey(API_KEY)
        .setApiSecret(API_SECRET)
        .setFinalQuietMs(200)
        .setConnectOptions(new ConnectOptions().setTimeoutMs(3_000).setMaxRetry(1).setMaxDelayMs(100));
  }

  /**
   * Admission for tests about sessions: a busy shared machine must not refuse their opens, nor the
   * admission rate a test that opens many at once (admission tests set their own).
   */
  public static AdmissionOptions relaxedAdmission() {
    return new AdmissionOptions().setMaxEventLoopLagMs(30_000).setMaxAdmissionsPerSecond(0);
  }

  /** Metrics with the Prometheus (and health) endpoint on a free loopback port. */
  public static MetricsOptions prometheusOnLoopback() {
    return new MetricsOptions().setPrometheus(new PrometheusOptions().setEnabled(true).setHost("127.0.0.1").setPort(0));
  }

  /** {@code bytes} of a deterministic 16-bit tone, which the counting recognizer hears as speech. */
  public static Buffer tone(int bytes) {
    Buffer b = Buffer.buffer(bytes);
    for (int i = 0; i < bytes / 2; i++) {
      b.appendShortLE((short) (Math.sin(i / 8.0) * 8000));
    }
    return b;
  }

  /** {@code {"audio": base64}} of a tone of {@code bytes} bytes: audio as JSON callers send it. */
  public static JsonObject base64Audio(int bytes) {
    return new JsonObject().put("audio", Base64.getEncoder().encodeToString(tone(bytes).getBytes()));
  }

  /** A recording of {@code scripts/samples}. */
  public static WavFile sample(String name) {
    try {
      return WavFile.parse(Files.readAllBytes(SAMPLES.resolve(name)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read sample " + name, e);
    }
  }

  /** The failure code of each future, in order; -2 for one that succeeded, -3 for a failure without a code. */
  public static Future<List<Integer>> failureCodes(Future<?>... futures) {
    List<Future<Integer>> codes = new ArrayList<>();
    for (Future<?> f : futures) {
      codes.add(f.transform(ar -> Future.succeededFuture(ar.succeeded() ? -2
          : ar.cause() instanceof ReplyException e ? e.failureCode() : -3)));
    }
    return Future.all(codes).map(all -> all.<Integer>list());
  }
}
