package org.voicerelay.stt.client;

import io.vertx.core.json.JsonObject;

/**
 * The error carried by {@link SpeechEventType#ERROR} and {@link SpeechEventType#RECONNECTING}
 * events: a code from {@link SttErrorCode#wireName()}, a message, whether the stream goes on, and
 * the HTTP status or gateway code where there is one.
 */
public record SttError(String code, String message, boolean retryable, int statusCode) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("code", code).put("message", message)
        .put("retryable", retryable);
    if (statusCode >= 0) {
      json.put("statusCode", statusCode);
    }
    return json;
  }

  public static SttError fromJson(JsonObject json) {
    return new SttError(json.getString("code"), json.getString("message"),
        json.getBoolean("retryable", false), json.getInteger("statusCode", -1));
  }
}
