package org.voicerelay.stt.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Any frame the gateway sends. One flat record rather than a type hierarchy because the gateway's
 * messages share most fields and unknown types must still parse (and be skipped), not fail.
 * Absent fields are {@code null}; the client applies the protocol's defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServerMessage(
    String type,
    String sessionId,
    String requestId,
    String transcript,
    String language,
    Double start,
    Double duration,
    Double confidence,
    List<WireWord> words,
    String speakerId,
    Map<String, Object> extra,
    String message,
    Integer code) {

  public static ServerMessage of(String type) {
    return new ServerMessage(type, null, null, null, null, null, null, null, null, null, null, null,
        null);
  }

  public static ServerMessage error(int code, String message) {
    return new ServerMessage(MessageType.ERROR, null, null, null, null, null, null, null, null, null,
        null, message, code);
  }

  /** A transcript frame ({@code interim_transcript}, {@code final_transcript}, ...). */
  public static ServerMessage transcript(String type, String sessionId, String text,
      String language, double start, double duration, double confidence, List<WireWord> words) {
    return new ServerMessage(type, sessionId, null, text, language, start, duration, confidence,
        words, null, null, null, null);
  }
}
