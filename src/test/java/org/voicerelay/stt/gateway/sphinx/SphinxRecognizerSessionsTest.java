package org.voicerelay.stt.gateway.sphinx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voicerelay.stt.gateway.sphinx.RecognizerDrive.CHUNK_BYTES;
import static org.voicerelay.stt.gateway.sphinx.RecognizerDrive.REQUEST;
import static org.voicerelay.stt.gateway.sphinx.RecognizerDrive.decode;
import static org.voicerelay.stt.gateway.sphinx.RecognizerDrive.resampled;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.voicerelay.stt.gateway.engine.Hypothesis;
import org.voicerelay.stt.gateway.engine.Recognition;
import org.voicerelay.stt.gateway.engine.Recognizer;
import org.voicerelay.stt.gateway.sphinx.RecognizerDrive.Listener;
import org.voicerelay.stt.gateway.sphinx.RecognizerDrive.Transcript;
import org.voicerelay.stt.gateway.sphinx.RecognizerDrive.Type;
import org.voicerelay.stt.testing.LogCapture;
import org.voicerelay.stt.testing.SphinxForTheFork;

/**
 * How sessions share the real engine: finalize, close, queued audio, more sessions than decoders,
 * loading again. Apart from {@link SphinxRecognizerTest} (the recordings' transcripts) so that the
 * two forks can run them side by side; the model loads once for the class (once for the fork when
 * another class loaded it before).
 */
@ExtendWith(VertxExtension.class)
// the engine loads in 5-15 s on an idle 2-core machine, 86 s under six parallel builds: the limit is for hangs
@Timeout(value = 180, timeUnit = TimeUnit.SECONDS)
class SphinxRecognizerSessionsTest {

  private static final String LONG = "rms-long-16k-mono.wav";
  private static final Map<String, Future<Transcript>> DECODED = new ConcurrentHashMap<>();

  private static Recognizer recognizer;

  @RegisterExtension
  final LogCapture logs = new LogCapture();

  @BeforeAll
  static void loadTheModelOnce(Vertx vertx, VertxTestContext test) {
    SphinxForTheFork.keep(vertx);
    SphinxRecognizer.load(vertx, new JsonObject()).onComplete(test.succeeding(loaded -> {
      recognizer = loaded;
      test.completeNow();
    }));
  }

  @AfterAll
  static void closeTheEngine() {
    if (recognizer != null) {
      recognizer.close();
    }
  }

  @Test
  void finalizeInMidSentenceSettlesWhatWasSaidSoFar(Vertx vertx, VertxTestContext test) {
    byte[] pcm = resampled(recognizer, "slt-16k-mono.wav");
    byte[] firstHalf = Arrays.copyOf(pcm, 16000 * 2 * 2);
    decode(vertx, recognizer, firstHalf, REQUEST).onComplete(test.succeeding(t -> test.verify(() -> {
      List<Hypothesis> finals = t.finals();
      assertEquals(Type.FINALIZED, t.events.get(t.events.size() - 1).type());
      assertTrue(finals.get(finals.size() - 1).text().startsWith("the weather"), finals.toString());
      test.completeNow();
    })));
  }

  @Test
  void finalizeAfterOnlySilenceGivesAnEmptyFinalThenOnFinalized(Vertx vertx, VertxTestContext test) {
    decode(vertx, recognizer, new byte[16000 * 2], REQUEST).onComplete(test.succeeding(t -> test.verify(() -> {
      assertEquals(2, t.events.size(), t.events.toString());
      assertEquals(Type.FINAL, t.events.get(0).type());
      assertEquals("", t.events.get(0).hypothesis().text());
      assertEquals(Type.FINALIZED, t.events.get(1).type());
      test.completeNow();
    })));
  }

  @Test
  void moreSessionsThanDecodersAllFinishWithTheTextOfOneAlone(Vertx vertx, VertxTestContext test) {
    // the shortest recording (1.4 s): what is checked is the queueing, not the length
    byte[] pcm = resampled(recognizer, "alsa-front-center-48k-mono.wav");
    int sessions = ((SphinxRecognizer) recognizer).decoders() + 2;
    transcript(vertx, "alsa-front-center-48k-mono.wav").compose(alone -> {
      List<Future<Transcript>> all = new ArrayList<>();
      for (int i = 0; i < sessions; i++) {
        all.add(decode(vertx, recognizer, pcm, REQUEST));
      }
      return Future.all(all).map(done -> {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
          texts.add(done.<Transcript>resultAt(i).text());
        }
        return Map.entry(alone.text(), texts);
      });
    }).onComplete(test.succeeding(result -> test.verify(() -> {
      assertEquals(java.util.Collections.nCopies(sessions, result.getKey()), result.getValue());
      test.completeNow();
    })));
  }

  /**
   * Every decoder is lent to a session fed the long recording, and each is closed at once. No
   * decode-time comparison: a busy machine's load differs between two measurements, and the pool
   * hands a decoder over at the next pause anyway. What shows that the decoders are free is that
   * nothing is left for them to read (no pending bytes, no final) and that the next session on the
   * same decoders hears exactly what one alone hears.
   */
  @Test
  void closeDropsPendingAudioAndFreesTheDecoderForTheNextSession(Vertx vertx, VertxTestContext test) {
    byte[] longAudio = resampled(recognizer, LONG);
    byte[] shortAudio = resampled(recognizer, "slt-16k-mono.wav");
    int decoders = ((SphinxRecognizer) recognizer).decoders();
    transcript(vertx, "slt-16k-mono.wav").onComplete(test.succeeding(alone -> vertx.runOnContext(v -> {
      List<Listener> abandonedListeners = new ArrayList<>();
      for (int i = 0; i < decoders; i++) {
        Listener abandonedListener = new Listener();
        abandonedListeners.add(abandonedListener);
        Recognition abandoned = recognizer.open(REQUEST, abandonedListener);
        for (int at = 0; at < longAudio.length; at += CHUNK_BYTES) {
          abandoned.accept(Arrays.copyOfRange(longAudio, at, Math.min(longAudio.length, at + CHUNK_BYTES)));
        }
        abandoned.close();
        test.verify(() -> assertEquals(0, abandoned.pendingBytes()));
      }
      decode(vertx, recognizer, shortAudio, REQUEST).onComplete(test.succeeding(next -> test.verify(() -> {
        assertEquals(alone.text(), next.text());
        for (Listener abandonedListener : abandonedListeners) {
          assertTrue(abandonedListener.events.stream().noneMatch(e -> e.type() == Type.FINAL),
              "a closed session still produced " + abandonedListener.events);
        }
        test.completeNow();
      })));
    })));
  }

  @Test
  void pendingBytesCountsQueuedAudioUntilItIsDecoded(Vertx vertx, VertxTestContext test) {
    byte[] pcm = resampled(recognizer, "slt-16k-mono.wav");
    vertx.runOnContext(v -> {
      Listener listener = new Listener();
      Recognition recognition = recognizer.open(REQUEST, listener);
      for (int at = 0; at < pcm.length; at += CHUNK_BYTES) {
        recognition.accept(Arrays.copyOfRange(pcm, at, Math.min(pcm.length, at + CHUNK_BYTES)));
      }
      long queued = recognition.pendingBytes();
      recognition.finalizeUtterance();
      listener.finalized.future().onComplete(test.succeeding(x -> test.verify(() -> {
        assertTrue(queued > pcm.length / 2 && queued <= pcm.length, queued + " of " + pcm.length);
        assertEquals(0, recognition.pendingBytes());
        recognition.close();
        test.completeNow();
      })));
    });
  }

  @Test
  void loadingAgainWithTheSameOptionsSharesTheLoadedModel(Vertx vertx, VertxTestContext test) {
    // the engine logs each load it makes; a second one that shares the model makes none (no time
    // bound: a busy machine may take a second to answer even a load that shares)
    SphinxRecognizer.load(vertx, new JsonObject()).onComplete(test.succeeding(second -> test.verify(() -> {
      assertFalse(logs.text().contains("sphinx4 engine loaded"), "the second load loaded the model again");
      second.close();
      recognizer.open(REQUEST, new Listener()).close();
      test.completeNow();
    })));
  }

  @Test
  void invalidOptionsFailTheLoadWithAClearMessage(Vertx vertx, VertxTestContext test) {
    SphinxRecognizer.load(vertx, new JsonObject().put("decoders", 0)).onComplete(test.failing(e -> test.verify(() -> {
      assertInstanceOf(IllegalArgumentException.class, e);
      assertTrue(e.getMessage().contains("decoders"), e.getMessage());
      test.completeNow();
    })));
  }

  private static Future<Transcript> transcript(Vertx vertx, String file) {
    return DECODED.computeIfAbsent(file, f -> decode(vertx, recognizer, resampled(recognizer, f), REQUEST));
  }
}
