package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/** Many sessions at once on one node: each gets its own transcripts and nothing crosses. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SttVerticleConcurrencyTest {

  private static final int SESSIONS = 100;

  @Test
  void aHundredConcurrentSessionsEachGetTheirOwnTranscripts(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().deploy(vertx).compose(stack -> {
      List<Future<Void>> sessions = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        sessions.add(runSession(stack, "many-" + i, 1600 * (i + 1), ctx));
      }
      return Future.all(sessions);
    }).onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> runSession(TestStack stack, String id, int bytes, VertxTestContext ctx) {
    byte[] pcm = Fixtures.tone(bytes).getBytes();
    return EventRecorder.on(stack.vertx, "stt.session." + id + ".events").compose(events ->
        stack.open(new JsonObject().put("sessionId", id).put("sampleRate", 16000))
            .compose(session -> stack.stream(session, pcm, 3200, 4)
                .compose(v -> stack.control(session, "end")))
            .compose(endReply -> events.closed())
            .map(closed -> {
              ctx.verify(() -> {
                List<JsonObject> finals = events.ofType("final_transcript");
                assertEquals(1, finals.size(), id + ": " + events.types());
                JsonObject alt = finals.get(0).getJsonArray("alternatives").getJsonObject(0);
                assertEquals(bytes, alt.getJsonObject("metadata").getLong("totalBytes"), id);
                for (int i = 0; i < events.events.size(); i++) {
                  JsonObject e = events.events.get(i);
                  assertEquals(id, e.getString("sessionId"));
                  assertEquals(i + 1, e.getLong("seq"));
                }
                assertEquals("ended", closed.getString("reason"));
              });
              return null;
            }));
  }
}
