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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.bus.ResumableSession.State;

/**
 * {@link ResumableSession}'s states, told to its state handler, against a scripted node on the bus
 * (prefix {@code fake}) whose first session refuses audio with 410 as a session closed on a live
 * node does, then publishes its {@code closed} event.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ResumableSessionStatesTest {

  private static final long SEND_TIMEOUT_MS = 400;

  /** Opens sessions {@code fake.session.<id>.*}; the first one's audio is refused (410), its closed event follows. */
  private static void scriptedNode(Vertx vertx, AtomicInteger opens) {
    vertx.eventBus().<JsonObject>consumer("fake.open", open -> {
      String id = open.body().getString("sessionId");
      String base = "fake.session." + id;
      boolean first = opens.incrementAndGet() == 1;
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
          .put("sessionId", id).put("reason", "ended").put("audioSeconds", 0.1).put("lastSeq", 1)));
      open.reply(new JsonObject().put("sessionId", id).put("audioAddress", base + ".audio")
          .put("controlAddress", base + ".control").put("eventsAddress", base + ".events")
          .put("node", first ? "one" : "two"));
    });
  }

  @Test
  void aSessionEndedOnALiveNodeIsResumedOnceItsClosedEventCame(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger opens = new AtomicInteger();
    scriptedNode(vertx, opens);
    List<State> states = new CopyOnWriteArrayList<>();
    List<String> moves = new CopyOnWriteArrayList<>();
    ResumableSession.open(vertx, new ResumableSessionOptions().setPrefix("fake").setSampleRate(16_000)
            .setSendTimeoutMs(SEND_TIMEOUT_MS))
        .compose(session -> {
          session.stateHandler(states::add).handler(event -> {
            if ("recognition_moved".equals(event.getString("type"))) {
              moves.add(event.getString("previousNode") + ">" + event.getString("node"));
            }
          });
          return session.write(Buffer.buffer(new byte[3_200]))
              // longer than the loss grace: a grace timer left running would reopen a second time
              .compose(v -> delay(vertx, SEND_TIMEOUT_MS * 3)).map(session);
        })
        .onComplete(ctx.succeeding(session -> ctx.verify(() -> {
          assertEquals(List.of(State.RESUMING, State.OPENING, State.OPEN), states);
          assertEquals(List.of("one>two"), moves);
          assertEquals(2, opens.get());
          assertEquals(1, session.resumes());
          assertEquals("two", session.node());
          assertEquals(State.OPEN, session.state());
          ctx.completeNow();
        })));
  }

  @Test
  void anEndedSessionGoesThroughEndingToClosed(Vertx vertx, VertxTestContext ctx) {
    AtomicInteger opens = new AtomicInteger(1); // every session accepts audio
    scriptedNode(vertx, opens);
    List<State> states = new CopyOnWriteArrayList<>();
    ResumableSession.open(vertx, new ResumableSessionOptions().setPrefix("fake").setSampleRate(16_000))
        .compose(session -> {
          session.stateHandler(states::add);
          return session.write(Buffer.buffer(new byte[3_200])).compose(v -> session.end());
        })
        .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
          assertEquals(List.of(State.ENDING, State.CLOSED), states);
          assertEquals("ended", closed.getString("reason"));
          ctx.completeNow();
        })));
  }

  private static Future<Void> delay(Vertx vertx, long ms) {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(ms, t -> done.complete());
    return done.future();
  }
}
