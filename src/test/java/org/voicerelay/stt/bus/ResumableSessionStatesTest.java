package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.voicerelay.stt.bus.ResumableSession.State;

/**
 * {@link ResumableSession}'s states, told to its state handler, against a
 * {@link ScriptedResumableNode}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class ResumableSessionStatesTest {

  private static final long SEND_TIMEOUT_MS = 400;

  @Test
  void aSessionEndedOnALiveNodeIsResumedOnceItsClosedEventCame(Vertx vertx, VertxTestContext ctx) {
    ScriptedResumableNode node = ScriptedResumableNode.start(vertx, true);
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
              .compose(v -> vertx.timer(SEND_TIMEOUT_MS * 3)).map(session);
        })
        .onComplete(ctx.succeeding(session -> ctx.verify(() -> {
          assertEquals(List.of(State.RESUMING, State.OPENING, State.OPEN), states);
          assertEquals(List.of("one>two"), moves);
          assertEquals(2, node.opens.size());
          assertEquals(1, session.resumes());
          assertEquals("two", session.node());
          assertEquals(State.OPEN, session.state());
          ctx.completeNow();
        })));
  }

  @Test
  void anEndedSessionGoesThroughEndingToClosed(Vertx vertx, VertxTestContext ctx) {
    ScriptedResumableNode.start(vertx, false);
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
}
