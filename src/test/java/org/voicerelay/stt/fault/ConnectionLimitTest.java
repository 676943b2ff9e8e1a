package org.voicerelay.stt.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions of one verticle share one client, so one WebSocket client: found by the load benchmark,
 * Vert.x's default of 50 WebSockets per endpoint made the 51st session wait until its connect
 * timeout. Many sessions must all be connected at once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ConnectionLimitTest {

  @Test
  void moreThanFiftySessionsOfOneVerticleAreAllConnectedAtOnce(Vertx vertx, VertxTestContext ctx) {
    int count = 80;
    FaultFixtures.stack(0).deploy(vertx).compose(stack -> {
      List<Future<JsonObject>> opened = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        opened.add(stack.open("app.limit." + i));
      }
      return Future.all(opened).compose(all -> {
        Future<Void> wait = Future.future(p -> vertx.setTimer(1_500, t -> p.complete()));
        return wait.compose(v -> {
          List<Future<JsonObject>> status = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            status.add(stack.control(all.resultAt(i), "status"));
          }
          return Future.all(status);
        });
      }).map(status -> {
        ctx.verify(() -> {
          long connected = status.<JsonObject>list().stream()
              .filter(s -> "CONNECTED".equals(s.getJsonObject("stream").getString("state"))).count();
          assertEquals(count, connected, "streams connected");
          assertEquals(count, stack.gateway.sessionCount(), "gateway sessions");
        });
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }
}
