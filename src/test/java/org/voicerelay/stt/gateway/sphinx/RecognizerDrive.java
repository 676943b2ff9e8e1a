package org.voicerelay.stt.gateway.sphinx;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.voicerelay.stt.audio.Resampler;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.gateway.engine.Hypothesis;
import org.voicerelay.stt.gateway.engine.Recognition;
import org.voicerelay.stt.gateway.engine.RecognitionListener;
import org.voicerelay.stt.gateway.engine.RecognitionRequest;
import org.voicerelay.stt.gateway.engine.Recognizer;

/**
 * Drives a {@link Recognizer} as the gateway does, for the engine's tests: the bundled recordings
 * resampled to the engine's rate, fed from an event loop, and what the listener heard.
 */
final class RecognizerDrive {

  static final Path SAMPLES = Path.of("scripts", "samples");
  static final int CHUNK_BYTES = 1600;
  static final RecognitionRequest REQUEST = new RecognitionRequest("sphinx4", "en", Map.of());

  private RecognizerDrive() {
  }

  static byte[] resampled(Recognizer recognizer, String file) {
    try {
      WavFile wav = WavFile.parse(Files.readAllBytes(SAMPLES.resolve(file)));
      Resampler resampler = new Resampler(wav.sampleRate(), recognizer.sampleRate());
      byte[] body = resampler.process(wav.pcm());
      byte[] tail = resampler.drain();
      byte[] pcm = Arrays.copyOf(body, body.length + tail.length);
      System.arraycopy(tail, 0, pcm, body.length, tail.length);
      return pcm;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Feeds 50 ms chunks from an event loop, 100 ms of audio every 10 ms, then finalizes. */
  static Future<Transcript> decode(Vertx vertx, Recognizer recognizer, byte[] pcm, RecognitionRequest request) {
    Promise<Transcript> done = Promise.promise();
    vertx.runOnContext(v -> {
      Listener listener = new Listener();
      Recognition recognition = recognizer.open(request, listener);
      Transcript transcript = new Transcript(listener.events, pcm.length / 32000.0);
      long started = System.nanoTime();
      int[] at = {0};
      vertx.setPeriodic(10, timer -> {
        for (int i = 0; i < 2 && at[0] < pcm.length; i++, at[0] += CHUNK_BYTES) {
          byte[] chunk = Arrays.copyOfRange(pcm, at[0], Math.min(pcm.length, at[0] + CHUNK_BYTES));
          long before = System.nanoTime();
          recognition.accept(chunk);
          long took = System.nanoTime() - before;
          transcript.maxAcceptNanos = Math.max(transcript.maxAcceptNanos, took);
          transcript.totalAcceptNanos += took;
        }
        if (at[0] >= pcm.length) {
          vertx.cancelTimer(timer);
          recognition.finalizeUtterance();
        }
      });
      listener.finalized.future().onComplete(x -> {
        transcript.decodeSeconds = (System.nanoTime() - started) / 1e9;
        recognition.close();
        done.handle(x.map(transcript));
      });
    });
    return done.future();
  }

  enum Type {
    SPEECH_START, INTERIM, FINAL, FINALIZED
  }

  record Event(Type type, Hypothesis hypothesis, double at, String thread) {
  }

  static final class Transcript {
    final List<Event> events;
    final double audioSeconds;
    volatile double decodeSeconds;
    long maxAcceptNanos;
    long totalAcceptNanos;

    Transcript(List<Event> events, double audioSeconds) {
      this.events = events;
      this.audioSeconds = audioSeconds;
    }

    List<Hypothesis> finals() {
      return events.stream().filter(e -> e.type == Type.FINAL).map(Event::hypothesis).toList();
    }

    String text() {
      return String.join(" ", finals().stream().map(Hypothesis::text).filter(s -> !s.isEmpty()).toList());
    }
  }

  static final class Listener implements RecognitionListener {
    final List<Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Promise<Void> finalized = Promise.promise();

    @Override
    public void onSpeechStart(double atSeconds) {
      events.add(new Event(Type.SPEECH_START, null, atSeconds, Thread.currentThread().getName()));
    }

    @Override
    public void onInterim(Hypothesis hypothesis) {
      events.add(new Event(Type.INTERIM, hypothesis, hypothesis.end(), Thread.currentThread().getName()));
    }

    @Override
    public void onFinal(Hypothesis hypothesis) {
      events.add(new Event(Type.FINAL, hypothesis, hypothesis.end(), Thread.currentThread().getName()));
    }

    @Override
    public void onFinalized() {
      events.add(new Event(Type.FINALIZED, null, 0, Thread.currentThread().getName()));
      finalized.tryComplete();
    }

    @Override
    public void onError(Throwable failure) {
      finalized.tryFail(failure);
    }
  }
}
