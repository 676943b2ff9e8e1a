package org.voicerelay.stt.protocol;

import io.vertx.core.json.JsonObject;

/**
 * A model the gateway may fall back to, with its own provider options: an entry of the client's
 * {@code fallback} option, of the bus's {@code stt.open} request and of the wire's
 * {@code fallback.models}. One type for all three, so nothing is lost between them.
 */
public record FallbackModel(String model, JsonObject extra) {

  public FallbackModel {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("fallback model must not be empty");
    }
    extra = extra == null ? new JsonObject() : extra.copy();
  }

  public static FallbackModel of(String model) {
    return new FallbackModel(model, null);
  }

  /** Reads a bare model name or {@code {"model": ..., "extra": {...}}}. */
  public static FallbackModel fromJson(Object value) {
    if (value instanceof String s) {
      return of(s);
    }
    if (value instanceof JsonObject o) {
      return new FallbackModel(o.getString("model"), o.getJsonObject("extra"));
    }
    throw new IllegalArgumentException("fallback entry must be a model string or {model, extra}");
  }

  public JsonObject toJson() {
    return new JsonObject().put("model", model).put("extra", extra.copy());
  }
}
