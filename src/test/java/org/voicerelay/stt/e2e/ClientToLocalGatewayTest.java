package org.voicerelay.stt.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.audio.WordErrorRate;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamOptions;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;

/**
 * The Java client against the real local gateway and the real Sphinx4 engine, on every bundled
 * recording at its own sample rate and channel count: the transcript must stay within the word
 * error rate measured for that file (docs/gateway.md, "Recognition figures"), plus a margin.
 */
@ExtendWith(VertxExtension.class)
class ClientToLocalGatewayTest {

  private static final String SECRET = "e2e-secret-0123456789abcdef0123456789";
  private static Vertx vertx;
  private static int port;
  private static Map<String, Object> references;

  @BeforeAll
  static void startGateway() throws Exception {
    vertx = Vertx.vertx();
    LocalGatewayVerticle gateway = new LocalGatewayVerticle(new LocalGatewayOptions()
        .setApiKey("e2e").setApiSecret(SECRET));
    vertx.deployVerticle(gateway).await(120, TimeUnit.SECONDS);
    port = gateway.actualPort();
    references = new JsonObject(Files.readString(Path.of("scripts/samples/transcripts.json"))).getMap();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static SttOptions options(String secret) {
    return new SttOptions().setBaseUrl("http://127.0.0.1:" + port + "/v1").setApiKey("e2e")
        .setApiSecret(secret).setModel("deepgram/nova-3").setLanguage("en");
  }

  @ParameterizedTest(name = "{0} is transcribed with WER at most {1}")
  @CsvSource({
      "slt-16k-mono.wav, 0.15",
      "rms-48k-mono.wav, 0.15",
      "awb-44k-stereo.wav, 0.25",
      "rms-long-16k-mono.wav, 0.12",
      "slt-8k-mono.wav, 0.9",
  })
  void aBundledRecordingIsTranscribedWithinItsMeasuredErrorRate(String file, double bound)
      throws Exception {
    WavFile wav = WavFile.parse(Files.readAllBytes(Path.of("scripts/samples", file)));
    SttClient client = SttClient.create(vertx, options(SECRET));
    SpeechEvent result = client.recognize(Buffer.buffer(wav.pcm()), wav.sampleRate())
        .await(120, TimeUnit.SECONDS);
    String reference = (String) references.get(file);
    double wer = WordErrorRate.between(reference, result.text());
    System.out.printf("e2e %s: WER %.3f \"%s\"%n", file, wer, result.text());
    assertTrue(wer <= bound, file + ": WER " + wer + " > " + bound + ", heard \"" + result.text() + "\"");
    assertTrue(result.alternatives().get(0).endTime() <= wav.durationSeconds() + 0.5,
        "times stay within the recording");
    client.close();
  }

  @Test
  void interimsThenFinalsArriveInOrderWhileTheRecordingStreams(VertxTestContext ctx) throws Exception {
    WavFile wav = WavFile.parse(Files.readAllBytes(Path.of("scripts/samples/rms-long-16k-mono.wav")));
    SttClient client = SttClient.create(vertx, options(SECRET));
    SpeechStream stream = client.stream(new StreamOptions().setInputSampleRate(wav.sampleRate()));
    List<SpeechEvent> events = new CopyOnWriteArrayList<>();
    stream.handler(events::add);
    stream.endHandler(v -> ctx.verify(() -> {
      List<SpeechEventType> types = events.stream().map(SpeechEvent::type).toList();
      int firstInterim = types.indexOf(SpeechEventType.INTERIM_TRANSCRIPT);
      int firstFinal = types.indexOf(SpeechEventType.FINAL_TRANSCRIPT);
      assertTrue(firstInterim >= 0 && firstInterim < firstFinal, "interims come before the first final");
      long finals = events.stream().filter(e -> e.type() == SpeechEventType.FINAL_TRANSCRIPT
          && !e.text().isBlank()).count();
      assertTrue(finals >= 3, "the pauses between sentences end utterances: " + finals + " finals");
      double lastEnd = -1;
      for (SpeechEvent e : events) {
        if (e.type() == SpeechEventType.FINAL_TRANSCRIPT && !e.text().isBlank()) {
          assertTrue(e.alternatives().get(0).startTime() >= lastEnd - 0.05, "finals move forward in time");
          lastEnd = e.alternatives().get(0).endTime();
        }
      }
      client.close();
      ctx.completeNow();
    }));
    stream.write(Buffer.buffer(wav.pcm()));
    stream.end();
    assertTrue(ctx.awaitCompletion(120, TimeUnit.SECONDS));
  }

  @Test
  void aSpeechmaticsStreamGetsItsFinalsFromTheTurnHookWithoutFlushAndLosesNoWords(VertxTestContext ctx)
      throws Exception {
    WavFile wav = WavFile.parse(Files.readAllBytes(Path.of("scripts/samples/rms-long-16k-mono.wav")));
    // the engine is told not to end utterances itself (60 s of silence): every final before end()
    // answers a session.finalize the turn hook sent at an end of speech
    SttClient client = SttClient.create(vertx, options(SECRET).setModel("speechmatics/enhanced")
        .setExtra(new JsonObject().put("max_turn_silence", 60_000)));
    SpeechStream stream = client.stream(new StreamOptions().setInputSampleRate(wav.sampleRate()));
    List<SpeechEvent> finals = new CopyOnWriteArrayList<>();
    stream.handler(e -> {
      if (e.type() == SpeechEventType.FINAL_TRANSCRIPT && !e.text().isBlank()) {
        finals.add(e);
      }
    });
    vertx.runOnContext(v -> {
      Buffer pcm = Buffer.buffer(wav.pcm());
      for (int at = 0; at < pcm.length(); at += 640) {
        stream.write(pcm.getBuffer(at, Math.min(pcm.length(), at + 640)));
      }
      long started = System.nanoTime();
      vertx.setPeriodic(200, timer -> {
        if (finals.size() >= 4 || System.nanoTime() - started > TimeUnit.SECONDS.toNanos(60)) {
          vertx.cancelTimer(timer);
          int beforeEnd = finals.size();
          stream.end().onComplete(ctx.succeeding(x -> ctx.verify(() -> {
            String heard = String.join(" ", finals.stream().map(SpeechEvent::text).toList());
            double wer = WordErrorRate.between((String) references.get("rms-long-16k-mono.wav"), heard);
            System.out.printf("e2e turn hook: %d finals before end, %d in all, WER %.3f \"%s\"%n", beforeEnd,
                finals.size(), wer, heard);
            assertTrue(beforeEnd >= 4, beforeEnd + " finals arrived without flush");
            assertTrue(wer <= 0.15, "WER " + wer + ": no words lost at the cuts");
            client.close();
            ctx.completeNow();
          })));
        }
      });
    });
    assertTrue(ctx.awaitCompletion(150, TimeUnit.SECONDS));
  }

  @Test
  void aWrongSecretIsRefusedByTheGatewayAndNotRetried(VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, options("not-the-secret-0123456789abcdef012345"));
    SpeechStream stream = client.stream();
    stream.exceptionHandler(err -> ctx.verify(() -> {
      assertEquals(SttErrorCode.AUTHENTICATION_FAILED, ((SttException) err).code());
      assertEquals(401, ((SttException) err).statusCode());
      client.close();
      ctx.completeNow();
    }));
  }
}
