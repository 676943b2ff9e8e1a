package org.voicerelay.stt.gateway.sphinx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voicerelay.stt.gateway.sphinx.RecognizerDrive.REQUEST;
import static org.voicerelay.stt.gateway.sphinx.RecognizerDrive.SAMPLES;
import static org.voicerelay.stt.gateway.sphinx.RecognizerDrive.decode;
import static org.voicerelay.stt.gateway.sphinx.RecognizerDrive.resampled;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voicerelay.stt.audio.WordErrorRate;
import org.voicerelay.stt.gateway.engine.Hypothesis;
import org.voicerelay.stt.gateway.engine.Recognizer;
import org.voicerelay.stt.gateway.sphinx.RecognizerDrive.Event;
import org.voicerelay.stt.gateway.sphinx.RecognizerDrive.Transcript;
import org.voicerelay.stt.gateway.sphinx.RecognizerDrive.Type;
import org.voicerelay.stt.testing.SphinxForTheFork;

/**
 * The real engine on the bundled recordings, through the {@link Recognizer} contract as the gateway
 * drives it: on an event loop, 50 ms chunks at ten times real time. The model loads once for the
 * class; each recording is decoded once and its transcript shared by the tests that read it. All
 * of them are started as soon as the model is loaded, so the engine's two decoders work side by
 * side while the tests wait in turn. How sessions share the engine: {@link SphinxRecognizerSessionsTest}.
 */
@ExtendWith(VertxExtension.class)
// the engine loads in 5-15 s on an idle 2-core machine, 86 s under six parallel builds, and the
// first test waits for every recording's decode (about 25 s idle, minutes under load averages of
// 15-20): the limit is for hangs
@Timeout(value = 300, timeUnit = TimeUnit.SECONDS)
class SphinxRecognizerTest {

  private static final String LONG = "rms-long-16k-mono.wav";
  private static final List<String> RECORDINGS = List.of("slt-16k-mono.wav", "rms-48k-mono.wav", "awb-44k-stereo.wav",
      "slt-8k-mono.wav", LONG, "alsa-front-center-48k-mono.wav", "alsa-speaker-test-16k-mono.wav");
  private static final Map<String, Future<Transcript>> DECODED = new ConcurrentHashMap<>();

  private static Recognizer recognizer;
  private static JsonObject references;

  @BeforeAll
  static void loadTheModelOnceAndStartEveryDecode(Vertx vertx, VertxTestContext test) throws IOException {
    references = new JsonObject(Files.readString(SAMPLES.resolve("transcripts.json")));
    SphinxForTheFork.keep(vertx);
    SphinxRecognizer.load(vertx, new JsonObject()).onComplete(test.succeeding(loaded -> {
      recognizer = loaded;
      RECORDINGS.forEach(file -> transcript(vertx, file));
      test.completeNow();
    }));
  }

  @AfterAll
  static void closeTheEngine() {
    if (recognizer != null) {
      recognizer.close();
    }
  }

  @ParameterizedTest(name = "{0} is transcribed with a word error rate of at most {1}")
  @CsvSource({
      // measured with the default options: 0, 0, 0.09, 0.70, 0.05, 1.0 ("brent zhao center"), 0.93
      "slt-16k-mono.wav, 0.15",
      "rms-48k-mono.wav, 0.15",
      "awb-44k-stereo.wav, 0.25",
      "slt-8k-mono.wav, 0.9",
      "rms-long-16k-mono.wav, 0.12",
      "alsa-front-center-48k-mono.wav, 1.5",
      "alsa-speaker-test-16k-mono.wav, 1.2",
  })
  void eachBundledRecordingIsTranscribedWithinItsMeasuredWordErrorRate(String file, double bound, Vertx vertx,
      VertxTestContext test) {
    transcript(vertx, file).onComplete(test.succeeding(t -> test.verify(() -> {
      double wer = WordErrorRate.between(references.getString(file), t.text());
      // decoded beside the other recordings: this RTF is not one session's (docs/gateway.md)
      System.out.printf("%s: %.2f s, WER %.3f, RTF %.3f beside the others, \"%s\"%n", file, t.audioSeconds, wer,
          t.decodeSeconds / t.audioSeconds, t.text());
      assertTrue(wer <= bound, () -> file + ": WER " + wer + " > " + bound + " for \"" + t.text() + "\"");
      test.completeNow();
    })));
  }

  @Test
  void interimHypothesesArriveAtLeastEveryHalfSecondOfSpeech(Vertx vertx, VertxTestContext test) {
    transcript(vertx, LONG).onComplete(test.succeeding(t -> test.verify(() -> {
      double speech = t.finals().stream().mapToDouble(h -> h.end() - h.start()).sum();
      long interims = t.events.stream().filter(e -> e.type() == Type.INTERIM).count();
      assertTrue(speech > 15, "speech seconds " + speech);
      assertTrue(interims >= speech / 0.5, interims + " interims for " + speech + " s of speech");
      test.completeNow();
    })));
  }

  @Test
  void aPauseEndsASegmentWithAFinalBeforeAnyFinalize(Vertx vertx, VertxTestContext test) {
    transcript(vertx, LONG).onComplete(test.succeeding(t -> test.verify(() -> {
      long nonEmptyFinals = t.finals().stream().filter(h -> !h.text().isEmpty()).count();
      assertTrue(nonEmptyFinals >= 4, "five sentences with pauses gave " + nonEmptyFinals + " finals");
      test.completeNow();
    })));
  }

  @Test
  void wordTimingsAreMonotonicAndWithinTheAudio(Vertx vertx, VertxTestContext test) {
    transcript(vertx, LONG).onComplete(test.succeeding(t -> test.verify(() -> {
      double previousEnd = 0;
      for (Hypothesis final_ : t.finals()) {
        for (Hypothesis.Word word : final_.words()) {
          assertTrue(word.start() >= previousEnd, word + " starts before " + previousEnd);
          assertTrue(word.end() >= word.start(), word + " ends before it starts");
          assertTrue(word.end() <= t.audioSeconds, word + " ends after the audio (" + t.audioSeconds + " s)");
          previousEnd = word.end();
        }
        if (!final_.words().isEmpty()) {
          assertEquals(final_.words().get(0).start(), final_.start());
          assertEquals(final_.words().get(final_.words().size() - 1).end(), final_.end());
        }
      }
      assertTrue(previousEnd > t.audioSeconds - 3, "last word ends at " + previousEnd);
      test.completeNow();
    })));
  }

  @Test
  void confidencesAreBetweenZeroAndOne(Vertx vertx, VertxTestContext test) {
    transcript(vertx, LONG).onComplete(test.succeeding(t -> test.verify(() -> {
      for (Hypothesis final_ : t.finals()) {
        assertTrue(final_.confidence() >= 0 && final_.confidence() <= 1, final_.toString());
        for (Hypothesis.Word word : final_.words()) {
          assertTrue(word.confidence() >= 0 && word.confidence() <= 1, word.toString());
        }
      }
      assertTrue(t.finals().stream().anyMatch(h -> h.confidence() > 0.5), "no final has any confidence");
      test.completeNow();
    })));
  }

  @Test
  void fillerWordsNeverReachTheText(Vertx vertx, VertxTestContext test) {
    transcript(vertx, LONG).onComplete(test.succeeding(t -> test.verify(() -> {
      for (Event event : t.events) {
        if (event.hypothesis() != null) {
          assertFalse(event.hypothesis().text().matches(".*[<>\\[\\]].*"), event.hypothesis().text());
        }
      }
      test.completeNow();
    })));
  }

  @Test
  void speechStartComesBeforeTheFirstHypothesisAndAtOrBeforeItsFirstWord(Vertx vertx, VertxTestContext test) {
    transcript(vertx, LONG).onComplete(test.succeeding(t -> test.verify(() -> {
      Event first = t.events.get(0);
      assertEquals(Type.SPEECH_START, first.type());
      Hypothesis firstFinal = t.finals().get(0);
      assertTrue(first.at() >= 0 && first.at() <= firstFinal.start(), first.at() + " vs " + firstFinal.start());
      test.completeNow();
    })));
  }

  @Test
  void finalizeUtteranceEndsWithOnFinalizedAfterTheLastFinal(Vertx vertx, VertxTestContext test) {
    transcript(vertx, LONG).onComplete(test.succeeding(t -> test.verify(() -> {
      Event last = t.events.get(t.events.size() - 1);
      Event beforeLast = t.events.get(t.events.size() - 2);
      assertEquals(Type.FINALIZED, last.type());
      assertEquals(Type.FINAL, beforeLast.type());
      assertEquals(1, t.events.stream().filter(e -> e.type() == Type.FINALIZED).count());
      test.completeNow();
    })));
  }

  @Test
  void acceptReturnsAtOnceAndDecodingRunsOnTheEnginesThreads(Vertx vertx, VertxTestContext test) {
    transcript(vertx, LONG).onComplete(test.succeeding(t -> test.verify(() -> {
      // not a bound in milliseconds (a pause of a busy machine's event loop exceeds any small one):
      // an accept that decoded, or waited for the decoder, would take about as long as the
      // decoding itself; one that only queues takes a sliver of it
      double acceptSeconds = t.totalAcceptNanos / 1e9;
      assertTrue(acceptSeconds < t.decodeSeconds / 4, "accept took " + acceptSeconds + " s in all for "
          + t.audioSeconds + " s of audio decoded in " + t.decodeSeconds + " s");
      for (Event event : t.events) {
        assertTrue(event.thread().startsWith("sphinx4-decoder-"), event.type() + " on " + event.thread());
      }
      test.completeNow();
    })));
  }

  @Test
  void theDefaultEndOfUtteranceSilenceEndsAFinalAtEachPauseOfTheLongRecording(Vertx vertx, VertxTestContext test) {
    // its counterpart, a session's 2.5 s silence joining them: SphinxEndOfUtteranceTest
    transcript(vertx, LONG).onComplete(test.succeeding(usual -> test.verify(() -> {
      long usualFinals = usual.finals().stream().filter(h -> !h.text().isEmpty()).count();
      assertTrue(usualFinals >= 4, "with the 200 ms default: " + usualFinals);
      test.completeNow();
    })));
  }

  @Test
  void theEngineRecognisesEnglishOnlyAndSaysSo() {
    assertTrue(recognizer.recognizes("en"));
    assertTrue(recognizer.recognizes("en-GB"));
    assertTrue(recognizer.recognizes(null), "unset: the engine's own");
    assertFalse(recognizer.recognizes("fr"));
    assertFalse(recognizer.recognizes("de-DE"));
    assertTrue(recognizer.languages().contains("English"));
  }

  private static Future<Transcript> transcript(Vertx vertx, String file) {
    return DECODED.computeIfAbsent(file, f -> decode(vertx, recognizer, resampled(recognizer, f), REQUEST));
  }
}
