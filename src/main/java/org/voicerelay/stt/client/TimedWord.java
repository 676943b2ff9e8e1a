package org.voicerelay.stt.client;

import io.vertx.core.json.JsonObject;

/**
 * A word with times in seconds from the start of the stream, and the provider's own fields for it
 * ({@code extra} on the wire; null when the gateway sent none).
 */
public record TimedWord(String text, double startTime, double endTime, double confidence,
    String speakerId, JsonObject extra) {

  public TimedWord {
    extra = extra == null || extra.isEmpty() ? null : extra.copy();
  }

  public TimedWord(String text, double startTime, double endTime, double confidence, String speakerId) {
    this(text, startTime, endTime, confidence, speakerId, null);
  }

  @Override
  public JsonObject extra() {
    return extra == null ? null : extra.copy();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("text", text).put("startTime", startTime)
        .put("endTime", endTime).put("confidence", confidence);
    if (speakerId != null) {
      json.put("speakerId", speakerId);
    }
    if (extra != null) {
      json.put("extra", extra.copy());
    }
    return json;
  }

  public static TimedWord fromJson(JsonObject json) {
    return new TimedWord(json.getString("text"), json.getDouble("startTime", 0.0),
        json.getDouble("endTime", 0.0), json.getDouble("confidence", 0.0),
        json.getString("speakerId"), json.getJsonObject("extra"));
  }
}
