package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/**
 * What a resumable session loses when recognition moves while more sent audio than its front's
 * replay limit ({@code frontMaxReplayBytes}) has no final transcript. The counting gateway of
 * {@link TestStack} never finalizes on its own ({@code endpointSeconds} 0), so every byte stays
 * unfinalized until {@code end}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ResumableReplayLossTest {

  private static final int CHUNK = 6_400;
  private static final int BYTES_PER_SECOND = 16_000 * 2;
  /** The front's recognition keeps the default replay buffer: 60 s; ten seconds more are sent. */
  private static final int MAX_REPLAY = ResumableSessionOptions.DEFAULT_MAX_REPLAY_BYTES;
  private static final int SENT = MAX_REPLAY + 10 * BYTES_PER_SECOND;
  private static final long POLL_MS = 20;

  @Test
  void aMoveWithMoreUnfinalizedAudioThanTheReplayLimitReportsTheDroppedBytesAndTranscribesTheRest(Vertx vertx,
      VertxTestContext testContext) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    TestStack.builder().verticle(options -> options.setNode("solo")).deploy(vertx)
        .compose(stack -> moveAfterSending(vertx, stack, SENT, events))
        .onComplete(testContext.succeeding(moveAndStatus -> testContext.verify(() -> {
          JsonObject move = moveAndStatus.get(0);
          JsonObject status = moveAndStatus.get(1);
          // all but the newest MAX_REPLAY bytes (whole chunks) were dropped while none was final
          long expectedLost = SENT - (long) (MAX_REPLAY / CHUNK) * CHUNK;
          assertTrue(expectedLost > 0);
          assertEquals(BusContract.REASON_NODE_LOST, move.getString("reason"));
          assertEquals(expectedLost, move.getLong("lostBytes"), move.encode());
          assertEquals(SENT - expectedLost, move.getLong("replayedBytes"), move.encode());
          assertEquals(expectedLost / (double) BYTES_PER_SECOND, move.getDouble("offsetSeconds"), 1e-9);
          assertEquals(expectedLost, status.getLong("lostBytes"), status.encode());
          assertEquals(1, status.getInteger("resumes"));

          int moveIndex = events.indexOf(move);
          assertTrue(events.subList(0, moveIndex).stream().noneMatch(ResumableReplayLossTest::isFinal),
              "a final before the move would have made audio replayable");
          List<JsonObject> finalsAfter = events.subList(moveIndex, events.size()).stream()
              .filter(ResumableReplayLossTest::isFinal).map(e -> e.getJsonArray("alternatives").getJsonObject(0))
              .toList();
          assertEquals(SENT - expectedLost, finalsAfter.stream()
              .mapToLong(alt -> alt.getJsonObject("metadata").getLong("bytes")).sum(), finalsAfter.toString());
          assertEquals(expectedLost / (double) BYTES_PER_SECOND, finalsAfter.get(0).getDouble("startTime"), 1e-6);
          assertEquals(SENT / (double) BYTES_PER_SECOND,
              finalsAfter.get(finalsAfter.size() - 1).getDouble("endTime"), 1e-6);
          assertEquals(BusContract.REASON_ENDED, events.get(events.size() - 1).getString("reason"));
          testContext.completeNow();
        })));
  }

  @Test
  void aFrontKeepsForAReplayNoMoreThanTheVerticlesFrontMaxReplayBytes(Vertx vertx, VertxTestContext testContext) {
    int limit = BYTES_PER_SECOND;
    int sent = 3 * BYTES_PER_SECOND;
    TestStack.builder().verticle(options -> options.setNode("solo").setFrontMaxReplayBytes(limit)).deploy(vertx)
        .compose(stack -> moveAfterSending(vertx, stack, sent, new CopyOnWriteArrayList<>()))
        .onComplete(testContext.succeeding(moveAndStatus -> testContext.verify(() -> {
          JsonObject move = moveAndStatus.get(0);
          assertEquals(sent - limit, move.getLong("lostBytes"), move.encode());
          assertEquals(limit, move.getLong("replayedBytes"), move.encode());
          assertEquals(sent - limit, moveAndStatus.get(1).getLong("lostBytes"), moveAndStatus.get(1).encode());
          testContext.completeNow();
        })));
  }

  /**
   * Streams {@code sent} bytes into a new resumable session, loses its recognizing node once all of
   * them are accepted there, then ends it: the {@code recognition_moved} event and the status after it.
   */
  private Future<List<JsonObject>> moveAfterSending(Vertx vertx, TestStack stack, int sent,
      List<JsonObject> events) {
    Promise<JsonObject> moved = Promise.promise();
    Promise<Void> closed = Promise.promise();
    return stack.open(new JsonObject().put("resumable", true))
        .compose(session -> {
          vertx.eventBus().<JsonObject>consumer(session.getString("eventsAddress"), m -> {
            events.add(m.body());
            switch (m.body().getString("type")) {
              case BusContract.EVENT_RECOGNITION_MOVED -> moved.tryComplete(m.body());
              case BusContract.EVENT_CLOSED -> closed.tryComplete();
              default -> { }
            }
          });
          return stack.stream(session, Fixtures.tone(sent).getBytes(), CHUNK, 4)
              .compose(v -> untilRecognitionAcceptedAll(vertx, stack, session, sent))
              .compose(status -> {
                String recognitionId = status.getString("recognitionSessionId");
                // what the survivors (NodeLossNotices) publish when the recognizing session's node dies
                vertx.eventBus().publish(BusContract.defaultEventsAddress("stt", recognitionId), new JsonObject()
                    .put("sessionId", recognitionId)
                    .put("seq", status.getLong("lastSeq") + 1)
                    .put("type", BusContract.EVENT_CLOSED)
                    .put("reason", BusContract.REASON_NODE_LOST)
                    .put("error", new JsonObject().put("code", BusContract.REASON_NODE_LOST)
                        .put("message", "node gone left the cluster; the session is lost, open a new one")
                        .put("retryable", false)));
                return moved.future();
              })
              .compose(move -> stack.control(session, BusContract.ACTION_STATUS)
                  .compose(status -> stack.control(session, BusContract.ACTION_END)
                      .compose(end -> closed.future())
                      .map(v -> List.of(move, status))));
        });
  }

  private static boolean isFinal(JsonObject event) {
    return BusContract.EVENT_FINAL_TRANSCRIPT.equals(event.getString("type"));
  }

  /** The front's status once every byte sent is accepted by the recognizing session (none held at the front). */
  private Future<JsonObject> untilRecognitionAcceptedAll(Vertx vertx, TestStack stack, JsonObject session,
      int sent) {
    return stack.control(session, BusContract.ACTION_STATUS).compose(status -> {
      boolean allReceived = status.getDouble("audioSecondsReceived") * BYTES_PER_SECOND >= sent;
      if (allReceived && status.getLong("heldBytes") == 0) {
        return Future.succeededFuture(status);
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(POLL_MS, t -> later.complete());
      return later.future().compose(v -> untilRecognitionAcceptedAll(vertx, stack, session, sent));
    });
  }
}
