package org.voicerelay.stt.client.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.client.ModelCatalog;
import org.voicerelay.stt.client.ModelFamily;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.protocol.FallbackModel;

/**
 * A stream's keyterms, kept apart from the caller's own terms so that a change can remove what an
 * earlier one added: merged into the provider's keyterm option ({@code keyterm},
 * {@code keyterms_prompt}, or {@code additional_vocab} as {@code {"content"}} objects) after the
 * caller's own terms, without duplicates. A change while the user speaks is held until the end of
 * speech (the gateway may reconnect upstream on it); a caller's {@code extra} update re-merges the
 * latest terms into what it sends and so drops the held change, as LiveKit's clients do. Confined
 * to the stream's context.
 */
final class KeytermHold {

  private static final Logger LOG = LoggerFactory.getLogger(KeytermHold.class);
  private static final String VOCABULARY = "additional_vocab";

  /** The caller's own terms per provider option, as its latest {@code extra} set them. */
  private final Map<String, JsonArray> ownTerms = new HashMap<>();
  private List<String> keyterms;
  private boolean speaking;
  private boolean changeHeld;

  KeytermHold(SttOptions options, List<String> keyterms) {
    takeOwnTerms(options.getExtra());
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

  /**
   * The caller's own {@code extra} update, to send: its keyterm options become the caller's own
   * terms, the stream's keyterms are merged in again (when there are any, or the update names the
   * option), and a held change is dropped, since this update carries the latest terms.
   */
  JsonObject callerExtra(JsonObject extra, String model) {
    takeOwnTerms(extra);
    changeHeld = false;
    String option = optionOf(model);
    JsonObject out = extra.copy();
    if (option != null && (!keyterms.isEmpty() || extra.containsKey(option))) {
      out.put(option, merged(option, ownTerms.getOrDefault(option, new JsonArray())));
    }
    return out;
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

  private void takeOwnTerms(JsonObject extra) {
    for (String option : List.of("keyterm", "keyterms_prompt", VOCABULARY)) {
      if (extra.containsKey(option)) {
        ownTerms.put(option, array(extra.getValue(option)));
      }
    }
  }

  /** {@code {option: own terms + keyterms}} for the model, or null if it takes none. */
  private JsonObject delta(String model) {
    String option = optionOf(model);
    return option == null ? null
        : new JsonObject().put(option, merged(option, ownTerms.getOrDefault(option, new JsonArray())));
  }

  /**
   * The caller's own terms, then each keyterm not among them. In {@code additional_vocab} every
   * entry is a {@code {"content": ...}} object (the caller's own may carry {@code sounds_like});
   * elsewhere entries are strings.
   */
  private JsonArray merged(String option, JsonArray own) {
    boolean vocabulary = VOCABULARY.equals(option);
    JsonArray out = new JsonArray();
    List<String> present = new ArrayList<>();
    for (Object entry : own) {
      String term = entry instanceof JsonObject o ? o.getString("content") : String.valueOf(entry);
      present.add(term);
      out.add(vocabulary && !(entry instanceof JsonObject) ? new JsonObject().put("content", term) : entry);
    }
    for (String term : keyterms) {
      if (!present.contains(term)) {
        present.add(term);
        out.add(vocabulary ? new JsonObject().put("content", term) : term);
      }
    }
    return out;
  }

  /** A keyterm option's value as a list: a bare string (Deepgram takes one) is a list of one. */
  private static JsonArray array(Object value) {
    return value instanceof JsonArray a ? a.copy() : value instanceof List<?> l ? new JsonArray(new ArrayList<>(l))
        : value instanceof String s ? new JsonArray().add(s) : new JsonArray();
  }
}
