package org.voicerelay.stt.bus.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.bus.ResumableSession;

/** The times of an event's transcripts, for a {@link ResumableSession} that puts several sessions on one clock. */
final class TranscriptTimes {

  private TranscriptTimes() {
  }

  /** The latest {@code endTime} of the event's alternatives, 0 if none. */
  static double end(JsonObject event) {
    double end = 0;
    JsonArray alternatives = event.getJsonArray("alternatives");
    for (int i = 0; alternatives != null && i < alternatives.size(); i++) {
      end = Math.max(end, alternatives.getJsonObject(i).getDouble("endTime", 0.0));
    }
    return end;
  }

  /** Moves the times of the event's alternatives and their words later by {@code offsetSeconds}, in place. */
  static void shift(JsonObject event, double offsetSeconds) {
    JsonArray alternatives = event.getJsonArray("alternatives");
    for (int i = 0; offsetSeconds > 0 && alternatives != null && i < alternatives.size(); i++) {
      JsonObject alternative = alternatives.getJsonObject(i);
      shiftOne(alternative, offsetSeconds);
      JsonArray words = alternative.getJsonArray("words");
      for (int w = 0; words != null && w < words.size(); w++) {
        shiftOne(words.getJsonObject(w), offsetSeconds);
      }
    }
  }

  private static void shiftOne(JsonObject timed, double offsetSeconds) {
    for (String key : new String[] {"startTime", "endTime"}) {
      if (timed.getValue(key) instanceof Number n) {
        timed.put(key, n.doubleValue() + offsetSeconds);
      }
    }
  }
}
