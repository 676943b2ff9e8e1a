package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 20 ms writes from a periodic timer, the way an agent feeds WebRTC frames. */
class SpeechStreamTimerWritesTest extends OnScriptedGateway {

  @Test
  void aWriteFromATimerOnTheStreamsEventLoopIsTakenAtOnceAndArrivesInOrder(Vertx vertx, VertxTestContext ctx) {
    byte[] audio = SpeechStreamWireTest.ramp(640 * 25);
    vertx.runOnContext(start -> {
      SpeechStream stream = SttClient.create(vertx, gateway.options()).stream();
      List<Boolean> takenAtOnce = new ArrayList<>();
      int[] next = {0};
      vertx.setPeriodic(1, id -> {
        Future<Void> write = stream.write(Buffer.buffer(java.util.Arrays.copyOfRange(audio, next[0], next[0] + 640)));
        takenAtOnce.add(write.succeeded());
        next[0] += 640;
        if (next[0] == audio.length) {
          vertx.cancelTimer(id);
          stream.end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
            assertTrue(takenAtOnce.stream().allMatch(b -> b), "every write was taken when it returned");
            assertArrayEquals(audio, gateway.connection(0).audio());
            ctx.completeNow();
          })));
        }
      });
    });
  }
}
