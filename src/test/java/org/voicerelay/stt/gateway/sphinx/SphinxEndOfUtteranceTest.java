package org.voicerelay.stt.gateway.sphinx;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voicerelay.stt.gateway.sphinx.RecognizerDrive.SAMPLES;
import static org.voicerelay.stt.gateway.sphinx.RecognizerDrive.decode;
import static org.voicerelay.stt.gateway.sphinx.RecognizerDrive.resampled;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.audio.WordErrorRate;
import org.voicerelay.stt.gateway.engine.RecognitionRequest;
import org.voicerelay.stt.testing.SphinxForTheFork;

/**
 * A session's own end-of-utterance silence reaches the engine: the long recording, whose sentences
 * are 1.4 s apart, ends a final at each pause with the default 200 ms
 * ({@link SphinxRecognizerTest}) and keeps its sentences together at 2.5 s. A class of its own, so
 * that this second decode of the long recording does not lengthen the engine test's.
 */
@ExtendWith(VertxExtension.class)
// the engine loads in 5-15 s on an idle 2-core machine and minutes under heavy load: the limit is for hangs
@Timeout(value = 300, timeUnit = TimeUnit.SECONDS)
class SphinxEndOfUtteranceTest {

  private static final String LONG = "rms-long-16k-mono.wav";

  @Test
  void aLongerEndOfUtteranceSilenceFromTheSessionJoinsSentencesIntoFewerFinals(Vertx vertx, VertxTestContext test)
      throws Exception {
    String reference = new JsonObject(Files.readString(SAMPLES.resolve("transcripts.json"))).getString(LONG);
    SphinxForTheFork.keep(vertx);
    SphinxRecognizer.load(vertx, new JsonObject())
        .compose(recognizer -> decode(vertx, recognizer, resampled(recognizer, LONG), new RecognitionRequest("sphinx4",
            "en", Map.of("max_turn_silence", 2500), 2500, List.of())).onComplete(done -> recognizer.close()))
        .onComplete(test.succeeding(joined -> test.verify(() -> {
          long joinedFinals = joined.finals().stream().filter(h -> !h.text().isEmpty()).count();
          assertTrue(joinedFinals <= 2, "pauses of 1.4 s do not end an utterance at 2.5 s: " + joinedFinals);
          double wer = WordErrorRate.between(reference, joined.text());
          assertTrue(wer <= 0.2, "the same words, in fewer finals: WER " + wer + " for " + joined.text());
          test.completeNow();
        })));
  }
}
