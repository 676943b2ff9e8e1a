package org.voicerelay.stt.bus;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A node on the bus (prefix {@code fake}) for {@link ResumableSession}'s tests: it opens sessions
 * {@code fake.session.<id>.*} and keeps every open request. If asked, its first session refuses
 * audio with 410 as a session closed on a live node does, then publishes its {@code closed} event;
 * the others take audio. Control requests get an end summary.
 */
final class ScriptedResumableNode {

  /** Every open request taken, in order. */
  final List<JsonObject> opens = new CopyOnWriteArrayList<>();

  private ScriptedResumableNode() {
  }

  static ScriptedResumableNode start(Vertx vertx, boolean firstRefuses) {
    ScriptedResumableNode node = new ScriptedResumableNode();
    vertx.eventBus().<JsonObject>consumer("fake.open", open -> {
      node.opens.add(open.body().copy());
      String id = open.body().getString("sessionId");
      String base = "fake.session." + id;
      boolean first = node.opens.size() == 1;
      boolean refuses = first && firstRefuses;
      vertx.eventBus().<Object>consumer(base + ".audio", audio -> {
        if (refuses) {
          audio.fail(BusErrorCode.SESSION_CLOSED, "session " + id + " is closed");
          vertx.setTimer(100, t -> vertx.eventBus().publish(base + ".events", new JsonObject()
              .put("sessionId", id).put("seq", 1).put("type", "closed").put("reason", "closed")));
        } else {
          audio.reply(new JsonObject().put("buffered", 0));
        }
      });
      vertx.eventBus().<JsonObject>consumer(base + ".control", control -> control.reply(new JsonObject()
          .put("sessionId", id).put("reason", "ended").put("audioSeconds", 0.1).put("lastSeq", 1)));
      open.reply(new JsonObject().put("sessionId", id).put("audioAddress", base + ".audio")
          .put("controlAddress", base + ".control").put("eventsAddress", base + ".events")
          .put("node", first ? "one" : "two"));
    });
    return node;
  }
}
