package org.voicerelay.stt.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A word with its timing, in seconds from the start of the gateway session. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WireWord(String word, Double start, Double end, Double confidence, String speakerId) {
}
