package org.voicerelay.stt.client;

import io.vertx.core.json.JsonObject;

/**
 * Typed provider options, sent as the session's {@code settings.extra}. The JSON form uses the
 * provider's own option names (snake_case), exactly as they go on the wire.
 */
public abstract class ProviderOptions<T extends ProviderOptions<T>> {

  protected final JsonObject values;

  protected ProviderOptions() {
    this.values = new JsonObject();
  }

  protected ProviderOptions(JsonObject json) {
    this.values = json == null ? new JsonObject() : json.copy();
  }

  @SuppressWarnings("unchecked")
  protected T set(String key, Object value) {
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
    return (T) this;
  }

  /** The options as {@code settings.extra}. */
  public JsonObject toJson() {
    return values.copy();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + values.encode();
  }
}
