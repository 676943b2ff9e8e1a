package org.voicerelay.stt.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voicerelay.stt.health.HealthPages.check;
import static org.voicerelay.stt.health.HealthPages.get;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;

/** {@code /health} and {@code /ready} served by a real {@link SttVerticle} beside {@code /metrics}. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class HealthEndpointTest {

  /** A verticle with the Prometheus endpoint on a free port, its client pointed at {@code gatewayPort}. */
  private static Future<SttVerticle> deploy(Vertx vertx, int gatewayPort) {
    SttVerticle verticle = new SttVerticle(new SttVerticleOptions()
        .setMetrics(Fixtures.prometheusOnLoopback())
        .setClient(Fixtures.clientOptions(gatewayPort)));
    return vertx.deployVerticle(verticle).map(id -> verticle);
  }

  private static Future<Integer> gateway(Vertx vertx) {
    LocalGatewayVerticle gateway = Fixtures.countingGateway();
    return vertx.deployVerticle(gateway).map(id -> gateway.actualPort());
  }

  @Test
  void aNodeWithAReachableGatewayIsLiveAndReadyAndStillServesMetrics(Vertx vertx, VertxTestContext ctx) {
    gateway(vertx).compose(port -> deploy(vertx, port)).compose(verticle -> get(vertx, verticle, "/health")
        .compose(health -> get(vertx, verticle, "/ready").compose(ready -> get(vertx, verticle, "/metrics")
            .map(metrics -> {
              ctx.verify(() -> {
                assertEquals(200, health.statusCode());
                assertEquals("UP", health.bodyAsJsonObject().getString("status"));
                assertEquals(200, ready.statusCode(), ready.bodyAsString());
                assertEquals("UP", check(ready, "gateway-reachable").getString("status"));
                assertEquals(200, metrics.statusCode());
                assertTrue(metrics.bodyAsString().contains("stt_sessions_open"));
              });
              return null;
            }))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aNodeWhoseGatewayIsDownIsLiveButNotReady(Vertx vertx, VertxTestContext ctx) {
    HealthPages.closedPort(vertx).compose(closedPort -> deploy(vertx, closedPort))
        .compose(verticle -> get(vertx, verticle, "/health").compose(health -> get(vertx, verticle, "/ready")
            .map(ready -> {
              ctx.verify(() -> {
                assertEquals(200, health.statusCode());
                assertEquals(503, ready.statusCode());
                assertEquals("DOWN", ready.bodyAsJsonObject().getString("status"));
                assertEquals("DOWN", check(ready, "gateway-reachable").getString("status"));
              });
              return null;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRegisteredComponentStatusDecidesReadiness(Vertx vertx, VertxTestContext ctx) {
    gateway(vertx).compose(port -> deploy(vertx, port)).compose(verticle -> {
      HealthProcedures.register(verticle.health().readiness(), "example-component",
          () -> new JsonObject().put("ok", false).put("reason", "event loop late by 300 ms"));
      return get(vertx, verticle, "/ready").map(ready -> {
        ctx.verify(() -> {
          assertEquals(503, ready.statusCode());
          JsonObject saturation = check(ready, "example-component");
          assertEquals("DOWN", saturation.getString("status"));
          assertEquals("event loop late by 300 ms", saturation.getJsonObject("data").getString("reason"));
          assertEquals("UP", check(ready, "gateway-reachable").getString("status"));
        });
        return null;
      });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anUnknownPathBesideTheMetricsIsNotFound(Vertx vertx, VertxTestContext ctx) {
    gateway(vertx).compose(port -> deploy(vertx, port)).compose(verticle -> get(vertx, verticle, "/nothing"))
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(404, response.statusCode());
          ctx.completeNow();
        })));
  }
}
