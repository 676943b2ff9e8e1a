package org.voicerelay.stt.client;

import io.vertx.core.json.JsonObject;

/** A word with times in seconds from the start of the stream. */
public record TimedWord(String text, double startTime, double endTime, double confidence,
    String speakerId) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("text", text).put("startTime", startTime)
        .put("endTime", endTime).put("confidence", confidence);
    if (speakerId != null) {
      json.put("speakerId", speakerId);
    }
    return json;
  }

  public static TimedWord fromJson(JsonObject json) {
    return new TimedWord(json.getString("text"), json.getDouble("startTime", 0.0),
        json.getDouble("endTime", 0.0), json.getDouble("confidence", 0.0),
        json.getString("speakerId"));
  }
}
