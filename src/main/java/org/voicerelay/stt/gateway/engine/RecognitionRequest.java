package org.voicerelay.stt.gateway.engine;

import java.util.List;
import java.util.Map;

/**
 * What a session asked for: its model and language (engines may ignore them), the provider
 * options of {@code settings.extra}, and what the gateway read from them that an offline engine
 * can honour: the silence that ends an utterance (null: the engine's own) and the keyterms
 * (engines may ignore them).
 */
public record RecognitionRequest(String model, String language, Map<String, Object> extra,
    Integer endOfUtteranceSilenceMs, List<String> keyterms) {

  public RecognitionRequest {
    keyterms = keyterms == null ? List.of() : List.copyOf(keyterms);
  }

  public RecognitionRequest(String model, String language, Map<String, Object> extra) {
    this(model, language, extra, null, List.of());
  }
}
