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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.TestStack;

/**
 * A resumable session's front holds audio on its node, so the node admits it and counts its held
 * audio like any other session's: one lifecycle for both kinds.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ResumableAdmissionTest {

  private static final int CHUNK = 3_200;

  @Test
  void aResumableSessionIsAdmittedForItsFrontAndItsRecognitionAndGivesBothBack(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(o -> o.setNode("solo").setClosedSessionLingerMs(0)).deploy(vertx).compose(stack -> {
      NodeLoad load = stack.verticle.nodeLoad();
      return stack.open(new JsonObject().put("resumable", true)).compose(session -> {
        ctx.verify(() -> assertEquals(2, load.status().getInteger("admittedSessions"),
            "the front and its recognizing session, both on this node"));
        return stack.control(session, "end");
      }).compose(ended -> until(vertx, () -> load.status().getInteger("admittedSessions") == 0));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theAudioAFrontKeepsForAReplayCountsInTheNodesReplayFigure(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(o -> o.setNode("solo")).deploy(vertx).compose(stack -> {
      NodeLoad load = stack.verticle.nodeLoad();
      return stack.open(new JsonObject().put("resumable", false)).compose(plain -> send(stack, plain, 8)
          // the plain session's client keeps its sent audio until a final; read that first
          .compose(v -> until(vertx, () -> load.status().getLong("replayBytes") >= 8L * CHUNK))
          .map(v -> load.status().getLong("replayBytes"))
          .compose(plainOnly -> stack.open(new JsonObject().put("resumable", true))
              .compose(front -> send(stack, front, 8))
              // the front's kept audio, plus the same audio kept again by its recognizing session's client
              .compose(v -> until(vertx, () -> load.status().getLong("replayBytes") >= plainOnly + 16L * CHUNK))));
    }).onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Void> send(TestStack stack, JsonObject session, int chunks) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < chunks; i++) {
      chain = chain.compose(v -> stack.audio(session, Buffer.buffer(new byte[CHUNK])).mapEmpty());
    }
    return chain;
  }

  /** Completes once {@code condition} holds (checked every 20 ms); the class timeout bounds it. */
  private static Future<Void> until(Vertx vertx, BooleanSupplier condition) {
    Promise<Void> held = Promise.promise();
    vertx.setPeriodic(0, 20, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        held.complete();
      }
    });
    return held.future();
  }
}
