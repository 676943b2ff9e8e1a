package org.voicerelay.stt.testing;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.voicerelay.stt.gateway.CountingRecognizer;
import org.voicerelay.stt.gateway.engine.ForwardingRecognition;
import org.voicerelay.stt.gateway.engine.Recognition;
import org.voicerelay.stt.gateway.engine.RecognitionListener;
import org.voicerelay.stt.gateway.engine.RecognitionRequest;
import org.voicerelay.stt.gateway.engine.Recognizer;

/**
 * The counting engine (an interim every 5 frames), recognising English only and recording every
 * request and update it gets: for tests of what the gateway refuses or passes to its engine.
 */
public final class EnglishCountingRecognizer implements Recognizer {
  private final CountingRecognizer counting = new CountingRecognizer(new JsonObject().put("interimEveryFrames", 5));
  /** Every request it opened a recognition with, and every update, in order. */
  public final List<RecognitionRequest> requests = new CopyOnWriteArrayList<>();

  @Override
  public String name() {
    return "english-counting";
  }

  @Override
  public int sampleRate() {
    return counting.sampleRate();
  }

  @Override
  public boolean recognizes(String language) {
    return language == null || language.startsWith("en");
  }

  @Override
  public String languages() {
    return "English only";
  }

  @Override
  public Recognition open(RecognitionRequest request, RecognitionListener listener) {
    requests.add(request);
    return new ForwardingRecognition(counting.open(request, listener)) {
      @Override
      public void update(RecognitionRequest next) {
        requests.add(next);
      }
    };
  }

  @Override
  public void close() {
  }
}
