package org.voicerelay.stt.gateway.engine;

import java.util.List;
import java.util.Map;

/**
 * A recognition result: text, its span in seconds from the start of the recognition, confidence
 * in [0,1], word timings where the engine gives them, and engine metadata sent as the wire's
 * {@code extra}.
 */
public record Hypothesis(String text, double start, double end, double confidence,
    List<Word> words, Map<String, Object> extra) {

  public record Word(String word, double start, double end, double confidence) {
  }
}
