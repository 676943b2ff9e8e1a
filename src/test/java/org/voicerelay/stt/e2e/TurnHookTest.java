package org.voicerelay.stt.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamOptions;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;

/**
 * The turn hook on the bundled recordings through the local gateway and its counting engine,
 * which never ends an utterance by itself: every final before {@code end()} is one the hook asked
 * for at an end of speech, and the counting engine's byte counts show that the finals together
 * cover every byte the stream sent, once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TurnHookTest {

  private static final String SECRET = "turn-hook-secret-0123456789abcdef0123";

  /** What a run saw: the finals before end(), all finals, the bytes the stream sent. */
  private record Run(List<SpeechEvent> beforeEnd, List<SpeechEvent> finals, long bytesSent, long vadFinalizes) {
  }

  private static Future<Run> stream(Vertx vertx, String file, String model, Boolean hook) throws Exception {
    WavFile wav = WavFile.parse(Files.readAllBytes(Path.of("scripts/samples", file)));
    LocalGatewayVerticle gateway = new LocalGatewayVerticle(new LocalGatewayOptions().setApiKey("hook")
        .setApiSecret(SECRET).setRecognizer(LocalGatewayVerticle.RECOGNIZER_COUNTING));
    return vertx.deployVerticle(gateway).compose(id -> {
      SttClient client = SttClient.create(vertx, new SttOptions().setBaseUrl("http://127.0.0.1:" + gateway.actualPort()
          + "/v1").setApiKey("hook").setApiSecret(SECRET).setModel(model).setMaxBufferedBytes(8 << 20));
      SpeechStream stream = client.stream(new StreamOptions().setInputSampleRate(wav.sampleRate())
          .setEndOfSpeechFinalize(hook));
      List<SpeechEvent> finals = new CopyOnWriteArrayList<>();
      stream.handler(e -> {
        if (e.type() == SpeechEventType.FINAL_TRANSCRIPT) {
          finals.add(e);
        }
      });
      Promise<Run> run = Promise.promise();
      vertx.runOnContext(v -> {
        // 20 ms writes, as an agent's audio callback makes them, as fast as the stream takes them
        Buffer pcm = Buffer.buffer(wav.pcm());
        int slice = wav.sampleRate() / 50 * 2;
        for (int at = 0; at < pcm.length(); at += slice) {
          stream.write(pcm.getBuffer(at, Math.min(pcm.length(), at + slice)));
        }
        vertx.setTimer(1500, t -> {
          List<SpeechEvent> beforeEnd = List.copyOf(finals);
          long vadFinalizes = stream.status().getLong("endOfSpeechFinalizes");
          stream.end().onComplete(ended -> run.handle(ended.map(x -> new Run(beforeEnd, List.copyOf(finals),
              Math.round(stream.audioSecondsSent() * 32000), vadFinalizes))));
        });
      });
      return run.future().eventually(() -> client.close()).eventually(() -> vertx.undeploy(id));
    });
  }

  private static JsonObject counts(SpeechEvent e) {
    return e.alternatives().get(0).metadata();
  }

  @ParameterizedTest(name = "{0}: {1} or more finals without flush, every byte in one of them")
  @CsvSource({
      "rms-long-16k-mono.wav, 3",
      "slt-16k-mono.wav, 1",
      "rms-48k-mono.wav, 1",
      "awb-44k-stereo.wav, 1",
      "slt-8k-mono.wav, 1",
  })
  void aSpeechmaticsStreamFinalizesAtEachEndOfSpeechAndLosesNoAudio(String file, int atLeast, Vertx vertx,
      VertxTestContext ctx) throws Exception {
    stream(vertx, file, "speechmatics/enhanced", null).onComplete(ctx.succeeding(run -> ctx.verify(() -> {
      System.out.printf("turn hook %s: %d finals before end, %d end-of-speech finalizes, %d bytes%n", file,
          run.beforeEnd().size(), run.vadFinalizes(), run.bytesSent());
      assertTrue(run.beforeEnd().size() >= atLeast, run.beforeEnd().size() + " finals before end()");
      assertEquals(run.vadFinalizes(), run.beforeEnd().size(), "each one asked for by the hook");
      long covered = run.finals().stream().mapToLong(e -> counts(e).getLong("bytes")).sum();
      JsonObject last = counts(run.finals().get(run.finals().size() - 1));
      assertEquals(run.bytesSent(), last.getLong("totalBytes"), "the gateway got every byte sent");
      assertEquals(run.bytesSent(), covered, "and every byte is in exactly one final");
      ctx.completeNow();
    })));
  }

  @Test
  void withTheHookOffAModelThatDoesNotEndUtterancesGivesNoFinalBeforeEnd(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    stream(vertx, "rms-long-16k-mono.wav", "deepgram/nova-3", null).onComplete(ctx.succeeding(run -> ctx.verify(() -> {
      assertEquals(0, run.beforeEnd().size(), "off by default for Deepgram");
      assertEquals(1, run.finals().size(), "the one at end()");
      ctx.completeNow();
    })));
  }

  @Test
  void theHookCanBeTurnedOnForAnyModel(Vertx vertx, VertxTestContext ctx) throws Exception {
    stream(vertx, "rms-long-16k-mono.wav", "deepgram/nova-3", true).onComplete(ctx.succeeding(run -> ctx.verify(() -> {
      assertTrue(run.beforeEnd().size() >= 3, run.beforeEnd().size() + " finals before end()");
      ctx.completeNow();
    })));
  }
}
