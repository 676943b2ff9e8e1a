package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link WindowedAudioSender} against a scripted session: consumers on the audio and control
 * addresses that answer when the test says, so what the sender puts on the bus, and when, is seen
 * as a session sees it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class WindowedAudioSenderTest {

  private static final JsonObject SESSION = new JsonObject().put("audioAddress", "app.test.sender.audio")
      .put("controlAddress", "app.test.sender.control");

  /** A session that holds each audio request until {@link #answerOldest} and logs what came. */
  private static final class ScriptedSession {
    final ArrayDeque<Message<Buffer>> unanswered = new ArrayDeque<>();
    final List<String> log = new ArrayList<>();
    int mostUnanswered;

    ScriptedSession(Vertx vertx) {
      vertx.eventBus().<Buffer>consumer(SESSION.getString("audioAddress"), m -> {
        unanswered.add(m);
        mostUnanswered = Math.max(mostUnanswered, unanswered.size());
        log.add("audio " + m.body().getByte(0));
      });
      vertx.eventBus().<JsonObject>consumer(SESSION.getString("controlAddress"), m -> {
        log.add(m.body().getString("action") + " with " + unanswered.size() + " unanswered");
        m.reply(new JsonObject().put("sessionId", "s").put("reason", "ended"));
      });
    }

    void answerOldest() {
      Message<Buffer> m = unanswered.poll();
      log.add("answered " + m.body().getByte(0));
      m.reply(new JsonObject().put("buffered", 0));
    }
  }

  private static Buffer chunk(int n) {
    return Buffer.buffer(new byte[] {(byte) n, 0});
  }

  @Test
  void noMoreThanTheWindowOfChunksIsEverUnanswered(Vertx vertx, VertxTestContext ctx) {
    ScriptedSession session = new ScriptedSession(vertx);
    vertx.runOnContext(v -> {
      WindowedAudioSender sender = WindowedAudioSender.create(vertx, SESSION).setWriteQueueMaxSize(3);
      List<Future<Void>> writes = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        writes.add(sender.write(chunk(i)));
      }
      // the session answers one held request every few milliseconds, oldest first
      long timer = vertx.setPeriodic(5, t -> {
        if (!session.unanswered.isEmpty()) {
          session.answerOldest();
        }
      });
      Future.all(writes).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        vertx.cancelTimer(timer);
        assertEquals(3, session.mostUnanswered, session.log.toString());
        assertEquals(java.util.stream.IntStream.range(0, 10).mapToObj(i -> "audio " + i).toList(),
            session.log.stream().filter(l -> l.startsWith("audio")).toList(), "every chunk, in the order written");
        ctx.completeNow();
      })));
    });
  }

  @Test
  void aFullWindowDrainsWhenTheSessionAnswers(Vertx vertx, VertxTestContext ctx) {
    ScriptedSession session = new ScriptedSession(vertx);
    vertx.runOnContext(v -> {
      WindowedAudioSender sender = WindowedAudioSender.create(vertx, SESSION).setWriteQueueMaxSize(2);
      sender.write(chunk(0));
      ctx.verify(() -> assertFalse(sender.writeQueueFull()));
      sender.write(chunk(1)).onSuccess(ok -> session.log.add("write 1 done"));
      ctx.verify(() -> assertTrue(sender.writeQueueFull()));
      sender.drainHandler(room -> ctx.verify(() -> {
        assertFalse(sender.writeQueueFull());
        assertEquals(1, sender.pending());
        assertEquals(List.of("audio 0", "audio 1", "answered 0"), session.log);
        ctx.completeNow();
      }));
      vertx.setPeriodic(5, t -> {
        if (session.unanswered.size() == 2) {
          vertx.cancelTimer(t);
          session.answerOldest();
        }
      });
    });
  }

  @Test
  void aRefusedChunkFailsItsWriteWithTheBusErrorCodeAndTheOthersGoOn(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().<Buffer>consumer(SESSION.getString("audioAddress"), m -> {
      if (m.body().getByte(0) == 1) {
        m.fail(BusErrorCode.BUFFER_FULL, "buffer_full");
      } else {
        m.reply(new JsonObject().put("buffered", 0));
      }
    });
    vertx.runOnContext(v -> {
      List<Throwable> told = new ArrayList<>();
      WindowedAudioSender sender = WindowedAudioSender.create(vertx, SESSION).exceptionHandler(told::add);
      Future<Void> first = sender.write(chunk(0));
      Future<Void> refused = sender.write(chunk(1));
      Future<Void> third = sender.write(chunk(2));
      Future.join(first, refused, third).onComplete(all -> ctx.verify(() -> {
        assertTrue(first.succeeded());
        assertTrue(third.succeeded());
        ReplyException failure = assertInstanceOf(ReplyException.class, refused.cause());
        assertEquals(BusErrorCode.BUFFER_FULL, failure.failureCode());
        assertEquals(List.of(failure), told);
        ctx.completeNow();
      }));
    });
  }

  @Test
  void endIsSentOnceEveryChunkIsAnsweredAndGivesTheSessionsSummary(Vertx vertx, VertxTestContext ctx) {
    ScriptedSession session = new ScriptedSession(vertx);
    vertx.runOnContext(v -> {
      WindowedAudioSender sender = WindowedAudioSender.create(vertx, SESSION);
      sender.write(chunk(0));
      sender.write(chunk(1));
      Future<Void> ended = sender.end();
      vertx.setPeriodic(5, t -> {
        if (!session.unanswered.isEmpty()) {
          session.answerOldest();
        }
      });
      ended.compose(done -> sender.summary()).onComplete(ctx.succeeding(summary -> ctx.verify(() -> {
        assertEquals("ended", summary.getString("reason"));
        assertEquals(List.of("audio 0", "audio 1", "answered 0", "answered 1", "end with 0 unanswered"), session.log);
        assertTrue(sender.write(chunk(2)).failed(), "no audio after end");
        ctx.completeNow();
      })));
    });
  }

  @Test
  void writeAllSendsEveryByteInChunksAndStopsAtTheFirstRefusal(Vertx vertx, VertxTestContext ctx) {
    List<Integer> sizes = new ArrayList<>();
    vertx.eventBus().<Buffer>consumer(SESSION.getString("audioAddress"), m -> {
      sizes.add(m.body().length());
      if (sizes.size() == 4) {
        m.fail(BusErrorCode.SESSION_CLOSED, "session_closed");
      } else {
        m.reply(new JsonObject());
      }
    });
    vertx.runOnContext(v -> {
      WindowedAudioSender sender = WindowedAudioSender.create(vertx, SESSION).setWriteQueueMaxSize(1);
      sender.writeAll(Buffer.buffer(new byte[10]), 4)
          .compose(whole -> sender.writeAll(Buffer.buffer(new byte[40]), 4))
          .onComplete(ctx.failing(failure -> ctx.verify(() -> {
            assertEquals(List.of(4, 4, 2, 4), sizes, "the first 10 bytes whole, then nothing after the refusal");
            assertEquals(BusErrorCode.SESSION_CLOSED, ((ReplyException) failure).failureCode());
            ctx.completeNow();
          })));
    });
  }
}
