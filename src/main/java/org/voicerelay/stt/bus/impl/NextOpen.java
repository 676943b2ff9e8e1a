package org.voicerelay.stt.bus.impl;

import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.ResumableSession;
import org.voicerelay.stt.client.ModelCatalog;

/**
 * What the next recognizing session of a {@link ResumableSession} opens with: the first open
 * request, as live updates and the agent's context changed it since, so a resume carries every
 * change the caller made. On the session's context.
 */
final class NextOpen {

  private static final String[] UPDATABLE = {"model", "language", "extra", "keyterms"};

  private JsonObject open;

  NextOpen(JsonObject open) {
    this.open = open.copy();
  }

  /** The open request of a session {@code id} (with the caller's events address, if any). */
  JsonObject request(String id, int sampleRate, String eventsAddress) {
    JsonObject request = open.copy().put("sampleRate", sampleRate).put("sessionId", id);
    return eventsAddress == null ? request : request.put("eventsAddress", eventsAddress);
  }

  /** The {@code update} control request of {@code fields} (model, language, extra, keyterms). */
  static JsonObject updateRequest(JsonObject fields) {
    JsonObject request = new JsonObject().put("action", BusContract.ACTION_UPDATE);
    for (String key : UPDATABLE) {
      if (fields.getValue(key) != null) {
        request.put(key, fields.getValue(key));
      }
    }
    return request;
  }

  /** The session took an update of {@code fields}: later sessions open with it ({@code extra} merged, as a live update merges it). */
  void updated(JsonObject fields) {
    JsonObject next = open.copy();
    for (String key : UPDATABLE) {
      if (fields.getValue(key) != null) {
        next.put(key, fields.getValue(key));
      }
    }
    if (fields.getValue("extra") instanceof JsonObject extra && open.getValue("extra") instanceof JsonObject before) {
      next.put("extra", before.copy().mergeIn(extra));
    }
    open = next;
  }

  /** The session took the agent's words: later sessions open with them as {@code extra.agent_context}. */
  void agentContext(String text) {
    open.put("extra", open.getJsonObject("extra", new JsonObject()).copy()
        .put(ModelCatalog.AGENT_CONTEXT_OPTION, ModelCatalog.agentContext(text)));
  }
}
