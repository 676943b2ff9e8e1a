package org.voicerelay.stt.bus.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.bus.impl.SessionDirectory;
import org.voicerelay.stt.internal.ClusterView;
import org.voicerelay.stt.testing.TestStack;

/**
 * Every session, plain or resumable, with or without the caller's id, is entered in the one
 * directory when it opens (owner, open reply, reserved event numbers) and leaves it after its
 * linger time; nothing else writes it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SessionDirectoryTest {

  private static final long LINGER_MS = 300;
  private TestStack stack;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(o -> o.setClosedSessionLingerMs(LINGER_MS))
        .deploy(vertx).onComplete(ctx.succeeding(s -> {
      stack = s;
      ctx.completeNow();
    }));
  }

  private Future<AsyncMap<String, JsonObject>> directory() {
    return stack.vertx.sharedData().getAsyncMap(SessionDirectory.MAP_PREFIX + "stt");
  }

  private void enteredOpenThenGone(JsonObject request, VertxTestContext ctx) {
    stack.open(request).compose(reply -> directory().compose(map -> map.get(reply.getString("sessionId"))
            .compose(entry -> {
              ctx.verify(() -> {
                assertEquals(ClusterView.LOCAL, entry.getString("owner"));
                assertEquals("open", entry.getString("state"));
                assertEquals(reply, entry.getJsonObject("reply"));
                assertEquals(SessionDirectory.SEQ_RESERVE, entry.getLong("seqReserved"));
              });
              return stack.control(reply, "close");
            })
            .compose(closed -> map.get(reply.getString("sessionId")))
            .compose(entry -> {
              ctx.verify(() -> assertEquals("closed", entry.getString("state")));
              Promise<Void> later = Promise.promise();
              stack.vertx.setTimer(LINGER_MS + 1_500, t -> later.complete());
              return later.future().compose(v -> map.get(reply.getString("sessionId")));
            })))
        .onComplete(ctx.succeeding(entry -> ctx.verify(() -> {
          assertNull(entry, "given back after the linger time");
          ctx.completeNow();
        })));
  }

  @Test
  void aPlainSessionWithoutAnIdIsEnteredAndLeaves(VertxTestContext ctx) {
    enteredOpenThenGone(new JsonObject(), ctx);
  }

  @Test
  void aPlainSessionWithAnIdIsEnteredAndLeaves(VertxTestContext ctx) {
    enteredOpenThenGone(new JsonObject().put("sessionId", "dir_plain"), ctx);
  }

  @Test
  void aResumableSessionIsEnteredAndLeaves(VertxTestContext ctx) {
    enteredOpenThenGone(new JsonObject().put("resumable", true), ctx);
  }
}
