package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a {@link ResumableSession} carries to the session it opens after a move: the updates it was
 * given, merged as a live {@code update} merges them. A scripted node (prefix {@code fake})
 * records every open; its first session takes updates, then refuses audio with 410 and publishes
 * {@code closed}, as a session closed on a live node does.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ResumableSessionUpdateTest {

  private static void scriptedNode(Vertx vertx, List<JsonObject> opens) {
    vertx.eventBus().<JsonObject>consumer("fake.open", open -> {
      opens.add(open.body().copy());
      String id = open.body().getString("sessionId");
      String base = "fake.session." + id;
      boolean first = opens.size() == 1;
      vertx.eventBus().<Object>consumer(base + ".audio", audio -> {
        if (first) {
          audio.fail(BusErrorCode.SESSION_CLOSED, "session " + id + " is closed");
          vertx.setTimer(100, t -> vertx.eventBus().publish(base + ".events", new JsonObject()
              .put("sessionId", id).put("seq", 1).put("type", "closed").put("reason", "closed")));
        } else {
          audio.reply(new JsonObject().put("buffered", 0));
        }
      });
      vertx.eventBus().<JsonObject>consumer(base + ".control", control -> control.reply(new JsonObject()
          .put("sessionId", id).put("state", "open")));
      open.reply(new JsonObject().put("sessionId", id).put("audioAddress", base + ".audio")
          .put("controlAddress", base + ".control").put("eventsAddress", base + ".events")
          .put("node", first ? "one" : "two"));
    });
  }

  @Test
  void aMovedSessionOpensWithEveryUpdatedExtraKeyNotOnlyTheLastUpdates(Vertx vertx, VertxTestContext ctx) {
    List<JsonObject> opens = new CopyOnWriteArrayList<>();
    scriptedNode(vertx, opens);
    JsonObject open = new JsonObject().put("model", "deepgram/nova-3").put("extra", new JsonObject().put("smart_format", true));
    ResumableSession.open(vertx, new ResumableSessionOptions().setPrefix("fake").setSampleRate(16_000)
            .setSendTimeoutMs(400).setOpen(open))
        .compose(session -> session.update(new JsonObject().put("extra", new JsonObject().put("punctuate", false)))
            .compose(r -> session.update(new JsonObject().put("language", "de")
                .put("extra", new JsonObject().put("smart_format", false).put("numerals", true))))
            .compose(r -> session.write(Buffer.buffer(new byte[3_200])))
            .compose(v -> delay(vertx, 1_200)))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(2, opens.size(), "the session moved once");
          JsonObject reopened = opens.get(1);
          assertEquals(new JsonObject().put("smart_format", false).put("punctuate", false).put("numerals", true),
              reopened.getJsonObject("extra"));
          assertEquals("de", reopened.getString("language"));
          assertEquals("deepgram/nova-3", reopened.getString("model"));
          ctx.completeNow();
        })));
  }

  private static Future<Void> delay(Vertx vertx, long ms) {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(ms, t -> done.complete());
    return done.future();
  }
}
