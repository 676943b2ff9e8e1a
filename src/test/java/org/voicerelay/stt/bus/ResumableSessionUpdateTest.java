package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a {@link ResumableSession} carries to the session it opens after a move: the updates it was
 * given, merged as a live {@code update} merges them ({@link ScriptedResumableNode}: its first
 * session takes the updates, then refuses audio, so the session moves).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ResumableSessionUpdateTest {

  @Test
  void aMovedSessionOpensWithEveryUpdatedExtraKeyNotOnlyTheLastUpdates(Vertx vertx, VertxTestContext ctx) {
    List<JsonObject> opens = ScriptedResumableNode.start(vertx, true).opens;
    JsonObject open = new JsonObject().put("model", "deepgram/nova-3").put("extra", new JsonObject().put("smart_format", true));
    ResumableSession.open(vertx, new ResumableSessionOptions().setPrefix("fake").setSampleRate(16_000)
            .setSendTimeoutMs(400).setOpen(open))
        .compose(session -> session.update(new JsonObject().put("extra", new JsonObject().put("punctuate", false)))
            .compose(r -> session.update(new JsonObject().put("language", "de")
                .put("extra", new JsonObject().put("smart_format", false).put("numerals", true))))
            .compose(r -> session.write(Buffer.buffer(new byte[3_200])))
            .compose(v -> vertx.timer(1_200)))
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

  @Test
  void aMovedSessionOpensWithTheAgentsLatestReplyAsAgentContext(Vertx vertx, VertxTestContext ctx) {
    List<JsonObject> opens = ScriptedResumableNode.start(vertx, true).opens;
    JsonObject open = new JsonObject().put("model", "assemblyai/u3-rt-pro").put("extra", new JsonObject().put("format_turns", true));
    ResumableSession.open(vertx, new ResumableSessionOptions().setPrefix("fake").setSampleRate(16_000)
            .setSendTimeoutMs(400).setOpen(open))
        .compose(session -> session.addAgentContext("How can I help?")
            .compose(r -> session.addAgentContext("x".repeat(10) + "y".repeat(1750)))
            .compose(r -> session.write(Buffer.buffer(new byte[3_200])))
            .compose(v -> secondOpen(vertx, opens)))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(2, opens.size(), "the session moved once");
          assertEquals(new JsonObject().put("format_turns", true).put("agent_context", "y".repeat(1750)),
              opens.get(1).getJsonObject("extra"), "the latest reply, cut to its last 1,750 characters");
          ctx.completeNow();
        })));
  }

  /** Completes once a second session was opened, or after 10 s (the assertions then say what came). */
  private static io.vertx.core.Future<Void> secondOpen(Vertx vertx, List<JsonObject> opens) {
    io.vertx.core.Promise<Void> reopened = io.vertx.core.Promise.promise();
    long deadline = System.nanoTime() + 10_000_000_000L;
    // set from the event loop: a periodic timer set from another thread can fire before Vert.x
    // holds its future, and cancelling it then throws and leaves it disposed but never run again
    vertx.runOnContext(start -> {
      vertx.setPeriodic(0, 20, id -> {
        if (opens.size() >= 2 || System.nanoTime() > deadline) {
          vertx.cancelTimer(id);
          reopened.complete();
        }
      });
    });
    return reopened.future();
  }
}
