package org.voicerelay.stt.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Cartesia options (ink-whisper, ink-2). Unset options are not sent. */
public class CartesiaOptions extends ProviderOptions<CartesiaOptions> {

  public CartesiaOptions() {
  }

  public CartesiaOptions(JsonObject json) {
    super(json);
  }

  public CartesiaOptions setMinVolume(Double v) { return set("min_volume", v); }
  public CartesiaOptions setMaxSilenceDurationSecs(Double v) { return set("max_silence_duration_secs", v); }
  public CartesiaOptions setKeyterms(List<String> terms) {
    return set("keyterm", terms == null ? null : new JsonArray(List.copyOf(terms)));
  }
}
