package org.voicerelay.stt.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A word with its timing, in seconds from the start of the gateway session, and the provider's
 * own fields for it ({@code extra}, passed through as sent).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WireWord(String word, Double start, Double end, Double confidence, String speakerId,
    Map<String, Object> extra) {

  public WireWord(String word, Double start, Double end, Double confidence, String speakerId) {
    this(word, start, end, confidence, speakerId, null);
  }
}
