package org.voicerelay.stt.client.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.client.ModelCatalog;
import org.voicerelay.stt.client.ModelFamily;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.protocol.FallbackModel;

/**
 * A stream's keyterms: merged into the provider's own keyterm option ({@code keyterm},
 * {@code keyterms_prompt}, {@code additional_vocab}) after the caller's own terms, without
 * duplicates; a change while the user speaks is held until the end of speech (the gateway may
 * reconnect upstream on it) and then sent. Confined to the stream's context.
 */
final class KeytermHold {

  private static final Logger LOG = LoggerFactory.getLogger(KeytermHold.class);

  /** The caller's own terms per provider option, as the stream's options had them at the start. */
  private final Map<String, JsonArray> ownTerms;
  private List<String> keyterms;
  private boolean speaking;
  private boolean changeHeld;

  KeytermHold(SttOptions options, List<String> keyterms) {
    JsonObject extra = options.getExtra();
    this.ownTerms = Map.of(
        "keyterm", array(extra.getValue("keyterm")),
        "keyterms_prompt", array(extra.getValue("keyterms_prompt")),
        "additional_vocab", array(extra.getValue("additional_vocab")));
    this.keyterms = keyterms == null ? List.of() : List.copyOf(keyterms);
  }

  /** Whether the model takes keyterms, and in which option: null if it takes none. */
  static String optionOf(String model) {
    ModelFamily family = ModelFamily.of(model);
    return family == null || !ModelCatalog.describe(model).capabilities().keyterms() ? null : family.keytermOption();
  }

  /**
   * The options of a new stream with its keyterms merged in, for the model and for every fallback
   * that takes keyterms.
   */
  SttOptions applyTo(SttOptions options) {
    if (keyterms.isEmpty()) {
      return options;
    }
    JsonObject own = delta(options.getModel());
    if (own != null) {
      options.getExtra().mergeIn(own);
    } else {
      LOG.warn("model {} takes no keyterms; the stream's {} keyterms go to its fallbacks only",
          options.getModel() == null ? "auto" : options.getModel(), keyterms.size());
    }
    List<FallbackModel> fallbacks = new ArrayList<>();
    for (FallbackModel fallback : options.getFallback()) {
      String option = optionOf(fallback.model());
      fallbacks.add(option == null ? fallback : new FallbackModel(fallback.model(),
          fallback.extra().copy().put(option, merged(option, array(fallback.extra().getValue(option))))));
    }
    return options.setFallback(fallbacks);
  }

  /**
   * New keyterms. Returns the {@code extra} to send now, or null when the change is held (the user
   * is speaking) or the model takes no keyterms.
   */
  JsonObject update(List<String> next, String model) {
    keyterms = List.copyOf(next);
    if (speaking) {
      changeHeld = true;
      return null;
    }
    return delta(model);
  }

  void speechStarted() {
    speaking = true;
  }

  /** The end of speech: the held change's {@code extra} to send now, or null if none is held. */
  JsonObject speechEnded(String model) {
    speaking = false;
    if (!changeHeld) {
      return null;
    }
    changeHeld = false;
    return delta(model);
  }

  /** {@code {option: own terms + keyterms}} for the model, or null if it takes none. */
  private JsonObject delta(String model) {
    String option = optionOf(model);
    return option == null ? null : new JsonObject().put(option, merged(option, ownTerms.get(option)));
  }

  /**
   * The caller's own terms, then each keyterm not among them. Entries may be strings or, in
   * {@code additional_vocab}, {@code {"content": ...}} objects; added terms take the form of the
   * caller's first entry.
   */
  private JsonArray merged(String option, JsonArray own) {
    JsonArray out = own.copy();
    List<String> present = new ArrayList<>();
    boolean objects = false;
    for (Object entry : own) {
      if (entry instanceof JsonObject o) {
        present.add(o.getString("content"));
        objects = true;
      } else {
        present.add(String.valueOf(entry));
      }
    }
    for (String term : keyterms) {
      if (!present.contains(term)) {
        present.add(term);
        out.add(objects && "additional_vocab".equals(option) ? new JsonObject().put("content", term) : term);
      }
    }
    return out;
  }

  private static JsonArray array(Object value) {
    return value instanceof JsonArray a ? a.copy() : value instanceof List<?> l ? new JsonArray(new ArrayList<>(l))
        : new JsonArray();
  }
}
