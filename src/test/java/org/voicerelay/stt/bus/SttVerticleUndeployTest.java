package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
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

/** Undeploying ends sessions cleanly; a session's resources go when it ends. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SttVerticleUndeployTest {

  @Test
  void undeployingDeliversEachOpenSessionsFinalTranscriptAndThenClosed(Vertx vertx, VertxTestContext ctx) {
    // the graceful end is what this test checks: room for it on a busy machine
    TestStack.builder().verticle(o -> o.setShutdownTimeoutMs(10_000)).deploy(vertx).compose(stack -> {
      List<Future<EventRecorder>> sessions = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        int bytes = 3200 * (i + 1);
        String address = "app.test.undeploy." + i;
        sessions.add(EventRecorder.on(vertx, address).compose(events ->
            stack.open(new JsonObject().put("eventsAddress", address))
                .compose(session -> stack.audio(session, Fixtures.tone(bytes)))
                .map(events)));
      }
      return Future.all(sessions).compose(all -> vertx.undeploy(stack.verticleDeployment).map(v -> {
        ctx.verify(() -> {
          for (int i = 0; i < 3; i++) {
            EventRecorder events = all.resultAt(i);
            List<String> types = events.types();
            assertEquals("closed", types.get(types.size() - 1), types.toString());
            assertEquals("shutdown", events.events.get(types.size() - 1).getString("reason"));
            String text = events.ofType("final_transcript").get(0).getJsonArray("alternatives")
                .getJsonObject(0).getString("text");
            assertTrue(text.endsWith("bytes " + 3200 * (i + 1)), text);
          }
        });
        return v;
      }));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void afterUndeployTheSessionsAddressesHaveNoHandlers(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().deploy(vertx).compose(stack -> stack.open(new JsonObject())
            .compose(session -> vertx.undeploy(stack.verticleDeployment)
                .compose(v -> stack.audio(session, Fixtures.tone(320)))))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) err).failureType());
          ctx.completeNow();
        })));
  }

  @Test
  void aClosedSessionReleasesItsGatewayConnectionAndThenItsAddresses(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(o -> o.setClosedSessionLingerMs(200))
        .deploy(vertx).compose(stack -> stack.open(new JsonObject())
            .compose(session -> stack.audio(session, Fixtures.tone(3200))
                .compose(r -> stack.control(session, "end"))
                .compose(r -> eventually(vertx, () -> stack.gateway.sessionCount() == 0))
                .compose(v -> delay(vertx, 400))
                .compose(v -> stack.control(session, "status"))))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) err).failureType());
          ctx.completeNow();
        })));
  }

  @Test
  void statusStillAnswersDuringTheLingerTimeWithTheClosedState(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().deploy(vertx).compose(stack -> stack.open(new JsonObject())
            .compose(session -> stack.control(session, "close").compose(r -> stack.control(session, "status"))))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertEquals("closed", status.getString("state"));
          assertEquals("closed", status.getString("reason"));
          ctx.completeNow();
        })));
  }

  private static Future<Void> delay(Vertx vertx, long ms) {
    Promise<Void> p = Promise.promise();
    vertx.setTimer(ms, t -> p.complete());
    return p.future();
  }

  private static Future<Void> eventually(Vertx vertx, java.util.function.BooleanSupplier condition) {
    Promise<Void> p = Promise.promise();
    long[] tries = {0};
    vertx.setPeriodic(20, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        p.complete();
      } else if (++tries[0] > 200) {
        vertx.cancelTimer(id);
        p.fail("condition not met within 4 s");
      }
    });
    return p.future();
  }
}
