package org.voicerelay.stt.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the {@link ModelCatalog} knows of one model string.
 *
 * @param model the model as {@code provider/model}, without a language suffix
 * @param family its family, or null for {@code auto} and providers LiveKit does not type
 * @param known whether LiveKit knows the model by name (others are accepted all the same)
 * @param capabilities what it can do ({@link ModelCapabilities#NONE} when not known)
 * @param languages the languages it takes where known, else empty
 */
public record ModelInfo(String model, ModelFamily family, boolean known, ModelCapabilities capabilities,
    List<String> languages) {

  public ModelInfo {
    languages = languages == null ? List.of() : List.copyOf(languages);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("model", model).put("known", known)
        .put("capabilities", capabilities.toJson()).put("languages", new JsonArray(languages));
    if (family != null) {
      json.put("family", family.name().toLowerCase(java.util.Locale.ROOT));
    }
    return json;
  }
}
