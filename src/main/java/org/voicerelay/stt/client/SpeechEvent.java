package org.voicerelay.stt.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * An event of a {@link SpeechStream}. {@link #toJson()} is the event-bus shape of the contract
 * (camelCase, without the session id and sequence number the bus adds).
 *
 * @param type what happened
 * @param requestId of a transcript: the gateway's session or request id, else the
 *     {@code X-LiveKit-Session-ID} of the connection it came on; of other events the stream's id
 * @param alternatives transcript alternatives (empty for non-transcript events)
 * @param audioDuration for {@link SpeechEventType#RECOGNITION_USAGE}: audio seconds sent since
 *     the previous usage event, else 0
 * @param error for {@link SpeechEventType#ERROR} and {@link SpeechEventType#RECONNECTING}
 */
public record SpeechEvent(SpeechEventType type, String requestId, List<SpeechData> alternatives,
    double audioDuration, SttError error) {

  public SpeechEvent {
    alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
  }

  public static SpeechEvent of(SpeechEventType type, String requestId) {
    return new SpeechEvent(type, requestId, List.of(), 0, null);
  }

  /** The text of the first alternative, or the empty string. */
  public String text() {
    return alternatives.isEmpty() ? "" : alternatives.get(0).text();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type.wireName());
    if (requestId != null) {
      json.put("requestId", requestId);
    }
    if (!alternatives.isEmpty()) {
      JsonArray alts = new JsonArray();
      for (SpeechData d : alternatives) {
        alts.add(d.toJson());
      }
      json.put("alternatives", alts);
    }
    if (type == SpeechEventType.RECOGNITION_USAGE) {
      json.put("usage", new JsonObject().put("audioDuration", audioDuration));
    }
    if (error != null) {
      json.put("error", error.toJson());
    }
    return json;
  }

  public static SpeechEvent fromJson(JsonObject json) {
    List<SpeechData> alts = new ArrayList<>();
    JsonArray a = json.getJsonArray("alternatives", new JsonArray());
    for (int i = 0; i < a.size(); i++) {
      alts.add(SpeechData.fromJson(a.getJsonObject(i)));
    }
    JsonObject usage = json.getJsonObject("usage");
    JsonObject error = json.getJsonObject("error");
    return new SpeechEvent(SpeechEventType.fromWireName(json.getString("type")),
        json.getString("requestId"), alts,
        usage == null ? 0 : usage.getDouble("audioDuration", 0.0),
        error == null ? null : SttError.fromJson(error));
  }
}
