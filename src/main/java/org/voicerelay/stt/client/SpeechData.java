package org.voicerelay.stt.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One transcript alternative. Times are seconds from the start of the stream, already offset
 * for audio streamed on earlier connections, so they stay true across reconnects.
 */
public record SpeechData(String text, String language, double startTime, double endTime,
    double confidence, String speakerId, List<TimedWord> words, JsonObject metadata) {

  public SpeechData {
    words = words == null ? List.of() : List.copyOf(words);
  }

  public JsonObject toJson() {
    JsonArray w = new JsonArray();
    for (TimedWord word : words) {
      w.add(word.toJson());
    }
    JsonObject json = new JsonObject().put("text", text).put("language", language)
        .put("startTime", startTime).put("endTime", endTime).put("confidence", confidence)
        .put("words", w);
    if (speakerId != null) {
      json.put("speakerId", speakerId);
    }
    if (metadata != null && !metadata.isEmpty()) {
      json.put("metadata", metadata);
    }
    return json;
  }

  public static SpeechData fromJson(JsonObject json) {
    List<TimedWord> words = new ArrayList<>();
    JsonArray w = json.getJsonArray("words", new JsonArray());
    for (int i = 0; i < w.size(); i++) {
      words.add(TimedWord.fromJson(w.getJsonObject(i)));
    }
    return new SpeechData(json.getString("text", ""), json.getString("language"),
        json.getDouble("startTime", 0.0), json.getDouble("endTime", 0.0),
        json.getDouble("confidence", 1.0), json.getString("speakerId"), words,
        json.getJsonObject("metadata"));
  }
}
