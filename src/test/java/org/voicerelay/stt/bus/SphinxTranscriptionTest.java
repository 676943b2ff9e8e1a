package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.audio.WordErrorRate;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;
import org.voicerelay.stt.testing.SphinxForTheFork;

/** A real recording, through the bus and the local gateway's real engine, comes back as its words. */
@ExtendWith(VertxExtension.class)
// the engine loads in 5-15 s on an idle 2-core machine, 86 s under six parallel builds: the limit is for hangs
@Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
class SphinxTranscriptionTest {

  private static final String FILE = "rms-48k-mono.wav";
  /** The engine's own test measures 0.15 on this file; the bus adds the client's resampling to 16 kHz. */
  private static final double MAX_WER = 0.25;

  /** A set-up that fails (the engine does not load, the gateway does not start) fails the test. */
  @Test
  void aBundledRecordingIsTranscribedWithinTheWordErrorBound(Vertx vertx, VertxTestContext ctx) throws Exception {
    String reference = new JsonObject(Files.readString(Fixtures.SAMPLES.resolve("transcripts.json")))
        .getString(FILE);
    WavFile wav = Fixtures.sample(FILE);
    SphinxForTheFork.keep(vertx);
    TestStack.builder().gateway("sphinx4").deploy(vertx).compose(stack -> EventRecorder.on(vertx, "app.test.sphinx")
        .compose(events -> stack.open(new JsonObject().put("sampleRate", wav.sampleRate())
                .put("eventsAddress", "app.test.sphinx"))
            .compose(session -> stack.stream(session, wav.pcm(), wav.sampleRate() / 5, 4)
                .compose(v -> stack.control(session, "end")))
            .compose(end -> events.closed())
            .map(closed -> events.ofType("final_transcript").stream()
                .map(e -> e.getJsonArray("alternatives").getJsonObject(0).getString("text"))
                .filter(t -> !t.isBlank())
                .collect(Collectors.joining(" ")))))
        .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
          double wer = WordErrorRate.between(reference, text);
          System.out.printf("%s through the bus: WER %.3f, \"%s\"%n", FILE, wer, text);
          assertTrue(wer <= MAX_WER, "WER " + wer + " for \"" + text + "\"");
          ctx.completeNow();
        })));
  }
}
