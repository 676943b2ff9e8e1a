package org.voicerelay.stt.client;

import io.vertx.core.json.JsonObject;

/**
 * What a model (or a stream, over its fallbacks) can do: send word timings, tell speakers apart,
 * take keyterms, take the agent's replies as context. {@link #toJson()} is exactly
 * {@code {"wordTimings", "diarization", "keyterms", "chatContext"}}, the bus's {@code capabilities}.
 */
public record ModelCapabilities(boolean wordTimings, boolean diarization, boolean keyterms, boolean chatContext) {

  /** What an unknown model (or {@code auto}) is taken to do: nothing that cannot be checked. */
  public static final ModelCapabilities NONE = new ModelCapabilities(false, false, false, false);

  public JsonObject toJson() {
    return new JsonObject().put("wordTimings", wordTimings).put("diarization", diarization)
        .put("keyterms", keyterms).put("chatContext", chatContext);
  }

  public static ModelCapabilities fromJson(JsonObject json) {
    return new ModelCapabilities(json.getBoolean("wordTimings", false), json.getBoolean("diarization", false),
        json.getBoolean("keyterms", false), json.getBoolean("chatContext", false));
  }

  /** These capabilities with word timings only if {@code other} sends them too. */
  ModelCapabilities wordTimingsAlso(ModelCapabilities other) {
    return new ModelCapabilities(wordTimings && other.wordTimings, diarization, keyterms, chatContext);
  }
}
