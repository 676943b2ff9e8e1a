package org.voicerelay.stt.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.audio.WordErrorRate;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;

/**
 * The Java client against the real local gateway and the real Sphinx4 engine, on every bundled
 * recording at its own sample rate and channel count: the transcript must stay within the word
 * error rate measured for that file (docs/gateway.md, "Recognition figures"), plus a margin; and
 * a wrong secret refused. Streams while a recording plays: {@link ClientStreamsToLocalGatewayTest}.
 */
@ExtendWith(VertxExtension.class)
class ClientToLocalGatewayTest extends OnLocalGateway {

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
