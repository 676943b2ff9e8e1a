package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every transition of a stream's state machine is an event, its phase and the state it shows as. */
class StreamPhasesTest extends OnScriptedGateway {

  /** Answers a finalize with a final transcript but never with session.finalized: the stream waits for quiet. */
  private static void finalsWithoutFinalized(ScriptedGateway.Connection c, JsonObject frame) {
    if ("session.finalize".equals(frame.getString("type"))) {
      c.send(new JsonObject().put("type", "final_transcript").put("transcript", "hello").put("start", 0.0)
          .put("duration", c.audio().length / 2.0 / 16000));
    } else {
      ScriptedGateway.cooperative(c, frame);
    }
  }

  @Test
  void aStreamHeldByAnOpenCircuitIsParkedNotBackingOffAndTheEventsSaySo(Vertx vertx, VertxTestContext ctx) {
    gateway.upgradeStatus = n -> n == 0 ? 503 : 101; // the first attempt fails and opens the circuit
    SttOptions options = gateway.options()
        .setCircuitBreakerOptions(SttOptions.defaultCircuitBreakerOptions().setMaxFailures(1).setResetTimeout(1000));
    List<StreamStateEvent> changes = new CopyOnWriteArrayList<>();
    // on the stream's event loop, so that no transition comes before the handler is set
    vertx.runOnContext(start -> {
      SpeechStream stream = SttClient.create(vertx, options).stream();
      stream.stateHandler(change -> {
        changes.add(change);
        if (change.phase() == StreamPhase.CONNECTED) {
          stream.end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
            assertEquals(List.of(StreamPhase.BACKING_OFF, StreamPhase.CONNECTING, StreamPhase.PARKED,
                StreamPhase.CONNECTING, StreamPhase.CONNECTED), changes.stream().map(StreamStateEvent::phase)
                .toList().subList(0, 5), "the retry found the circuit open and waited for its probe");
            assertEquals(StreamState.WAITING_TO_RECONNECT, changes.get(2).state(), "parked shows as waiting");
            assertEquals(SttErrorCode.CONNECTION_FAILED, changes.get(0).cause().code());
            assertNull(changes.get(2).cause(), "parked for the circuit, not for a failure of its own");
            ctx.completeNow();
          })));
        }
      });
    });
  }

  @Test
  void afterEndTheStreamAwaitsTheFinalThenQuietThenClosesWithAnEventForEachStep(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = StreamPhasesTest::finalsWithoutFinalized;
    SttOptions options = gateway.options().setFinalQuietMs(200);
    List<StreamStateEvent> changes = new CopyOnWriteArrayList<>();
    List<String> steps = new CopyOnWriteArrayList<>();
    vertx.runOnContext(start -> {
      SpeechStream stream = SttClient.create(vertx, options).stream();
      stream.stateHandler(change -> {
        changes.add(change);
        steps.add(stream.status().getString("finishing"));
        if (change.phase() == StreamPhase.CONNECTED) {
          stream.write(Buffer.buffer(new byte[3200]));
          stream.end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
            assertEquals(List.of(StreamPhase.CONNECTED, StreamPhase.AWAITING_FINAL, StreamPhase.AWAITING_QUIET,
                StreamPhase.CLOSING, StreamPhase.CLOSED), changes.stream().map(StreamStateEvent::phase).toList());
            assertEquals(List.of("NOT_STARTED", "AWAITING_FINAL", "AWAITING_FINAL", "CLOSING", "CLOSING"), steps,
                "status() shows the finishing step");
            ctx.completeNow();
          })));
        }
      });
    });
  }

  @Test
  void withoutAFinalTheWaitEndsInAFinalizationTimeoutFromAwaitingFinal(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if ("session.create".equals(f.getString("type"))) {
        ScriptedGateway.cooperative(c, f);
      }
    };
    SttOptions options = gateway.options().setFinalizationTimeoutMs(200);
    List<StreamStateEvent> changes = new CopyOnWriteArrayList<>();
    vertx.runOnContext(start -> {
      SpeechStream stream = SttClient.create(vertx, options).stream();
      stream.stateHandler(change -> {
        changes.add(change);
        if (change.phase() == StreamPhase.CONNECTED) {
          stream.end().onComplete(ctx.failing(err -> ctx.verify(() -> {
            assertEquals(List.of(StreamPhase.CONNECTED, StreamPhase.AWAITING_FINAL, StreamPhase.CLOSED),
                changes.stream().map(StreamStateEvent::phase).toList());
            assertEquals(SttErrorCode.FINALIZATION_TIMEOUT, changes.get(2).cause().code());
            ctx.completeNow();
          })));
        }
      });
    });
  }

  @Test
  void anEventCannotShowAPhaseAsAnotherState() {
    assertEquals(StreamState.FINISHING, new StreamStateEvent(StreamPhase.CLOSING, null).state());
    assertThrows(IllegalArgumentException.class,
        () -> new StreamStateEvent(StreamState.CONNECTED, null, StreamPhase.PARKED));
  }
}
