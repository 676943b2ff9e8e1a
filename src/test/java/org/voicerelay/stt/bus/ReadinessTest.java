package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.voicerelay.stt.health.HealthPages.check;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.bus.impl.AdmissionControl;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.health.HealthPages;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/**
 * The verticle's own readiness checks, {@code circuit-breaker} and {@code node-saturation}, as
 * {@code /ready} serves them; the node is saturated and the breaker opened by real means.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ReadinessTest {

  private static SttVerticleOptions servingHealth(SttVerticleOptions options) {
    return options.setMetrics(Fixtures.prometheusOnLoopback());
  }

  /** A budget of exactly {@code sessions} worst cases of these options. */
  private static SttVerticleOptions budgetFor(SttVerticleOptions options, int sessions) {
    options.getAdmission().setNodeAudioBudgetBytes(sessions * AdmissionControl.sessionBytes(options));
    return options;
  }

  private static Future<HttpResponse<Buffer>> ready(Vertx vertx, SttVerticle verticle) {
    return HealthPages.get(vertx, verticle, "/ready");
  }

  @Test
  void aNodeWithRoomAndAWorkingGatewayIsReadyWithTheBreakerClosed(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(options -> budgetFor(servingHealth(options), 2)).deploy(vertx)
        .compose(stack -> ready(vertx, stack.verticle))
        .onComplete(ctx.succeeding(ready -> ctx.verify(() -> {
          assertEquals(200, ready.statusCode(), ready.bodyAsString());
          JsonObject breaker = check(ready, "circuit-breaker");
          assertEquals("UP", breaker.getString("status"));
          assertEquals("CLOSED", breaker.getJsonObject("data").getString("state"));
          JsonObject saturation = check(ready, "node-saturation");
          assertEquals("UP", saturation.getString("status"));
          assertFalse(saturation.getJsonObject("data").getBoolean("saturated"));
          ctx.completeNow();
        })));
  }

  @Test
  void aNodeWhoseAudioBudgetIsTakenIsNotReady(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(options -> budgetFor(servingHealth(options), 1)).deploy(vertx)
        .compose(stack -> stack.open(new JsonObject()).compose(session -> ready(vertx, stack.verticle)))
        .onComplete(ctx.succeeding(ready -> ctx.verify(() -> {
          assertEquals(503, ready.statusCode(), ready.bodyAsString());
          assertEquals("DOWN", ready.bodyAsJsonObject().getString("status"));
          JsonObject saturation = check(ready, "node-saturation");
          assertEquals("DOWN", saturation.getString("status"));
          assertEquals("audio_budget", saturation.getJsonObject("data").getString("cause"));
          assertEquals(1, saturation.getJsonObject("data").getInteger("admittedSessions"));
          assertEquals("UP", check(ready, "circuit-breaker").getString("status"));
          assertEquals("UP", check(ready, "gateway-reachable").getString("status"));
          ctx.completeNow();
        })));
  }

  @Test
  void aNodeWhoseCircuitBreakerIsOpenIsNotReady(Vertx vertx, VertxTestContext ctx) {
    HealthPages.closedPort(vertx).compose(refusingPort -> {
          SttOptions client = Fixtures.clientOptions(refusingPort)
              .setConnectOptions(new ConnectOptions().setTimeoutMs(1_000).setReconnectWindowMs(0))
              .setCircuitBreakerOptions(SttOptions.defaultCircuitBreakerOptions().setMaxFailures(1)
                  .setResetTimeout(60_000));
          SttVerticle verticle = new SttVerticle(servingHealth(new SttVerticleOptions().setClient(client)));
          return vertx.deployVerticle(verticle).map(id -> verticle);
        })
        .compose(verticle -> EventRecorder.on(vertx, "app.test.breaker")
            .compose(events -> vertx.eventBus().request("stt.open",
                    new JsonObject().put("eventsAddress", "app.test.breaker"))
                .transform(ar -> events.closed()))
            .compose(closed -> ready(vertx, verticle)))
        .onComplete(ctx.succeeding(ready -> ctx.verify(() -> {
          assertEquals(503, ready.statusCode(), ready.bodyAsString());
          JsonObject breaker = check(ready, "circuit-breaker");
          assertEquals("DOWN", breaker.getString("status"));
          assertEquals("OPEN", breaker.getJsonObject("data").getString("state"));
          assertEquals("UP", check(ready, "node-saturation").getString("status"));
          ctx.completeNow();
        })));
  }
}
