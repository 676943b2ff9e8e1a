package org.voicerelay.stt.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the local gateway honours of a session's provider options ({@code settings.extra}), read
 * under the names LiveKit's typed families send: {@code interim_results} ({@code false}: no
 * interim transcripts), the silence that ends an utterance ({@code endpointing} of Deepgram Nova
 * and xAI, {@code eot_timeout_ms} of Deepgram Flux, {@code max_turn_silence} of AssemblyAI, in
 * milliseconds), and the keyterms ({@code keyterm}, {@code keyterms_prompt},
 * {@code additional_vocab}), accepted and passed to the engine. Anything else is recorded only.
 */
record ProviderSettings(boolean interimResults, Integer endOfUtteranceSilenceMs, List<String> keyterms) {

  /** The shortest end-of-utterance silence the engine is given (Sphinx4 counts in 10 ms frames). */
  static final int MIN_SILENCE_MS = 10;
  /** The longest: beyond a minute an utterance is better ended by the client. */
  static final int MAX_SILENCE_MS = 60_000;

  private static final List<String> SILENCE_OPTIONS = List.of("endpointing", "eot_timeout_ms", "max_turn_silence");
  private static final List<String> KEYTERM_OPTIONS = List.of("keyterm", "keyterms_prompt", "additional_vocab");

  static ProviderSettings of(Map<String, Object> extra) {
    boolean interims = !Boolean.FALSE.equals(extra.get("interim_results"));
    Integer silence = null;
    for (String option : SILENCE_OPTIONS) {
      if (extra.get(option) instanceof Number ms && !(ms instanceof Double d && d.isNaN())) {
        silence = (int) Math.max(MIN_SILENCE_MS, Math.min(MAX_SILENCE_MS, ms.longValue()));
        break;
      }
    }
    List<String> keyterms = new ArrayList<>();
    for (String option : KEYTERM_OPTIONS) {
      if (extra.get(option) instanceof List<?> terms) {
        for (Object term : terms) {
          Object text = term instanceof Map<?, ?> entry ? entry.get("content") : term;
          if (text instanceof String s && !s.isBlank() && !keyterms.contains(s)) {
            keyterms.add(s);
          }
        }
      }
    }
    return new ProviderSettings(interims, silence, keyterms);
  }
}
