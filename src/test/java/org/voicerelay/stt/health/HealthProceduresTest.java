package org.voicerelay.stt.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class HealthProceduresTest {

  @Test
  void theGatewayIsReachableWhileSomethingListensOnItsPort(Vertx vertx, VertxTestContext ctx) {
    vertx.createNetServer().connectHandler(socket -> { }).listen(0, "127.0.0.1")
        .compose(server -> HealthChecks.create(vertx)
            .register("gateway-reachable", HealthProcedures.gatewayReachable(vertx,
                "http://127.0.0.1:" + server.actualPort() + "/v1"))
            .checkStatus("gateway-reachable")
            .map(result -> {
              ctx.verify(() -> {
                assertTrue(result.getStatus().isOk());
                assertEquals(server.actualPort(), result.getStatus().getData().getInteger("port"));
              });
              return result;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theGatewayIsUnreachableWhenNothingListensThere(Vertx vertx, VertxTestContext ctx) {
    HealthPages.closedPort(vertx).compose(port -> HealthChecks.create(vertx)
            .register("gateway-reachable", HealthProcedures.gatewayReachable(vertx, "ws://127.0.0.1:" + port))
            .checkStatus("gateway-reachable"))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertFalse(result.getStatus().isOk());
          assertTrue(result.getStatus().getData().containsKey("error"), result.getStatus().getData().encode());
          ctx.completeNow();
        })));
  }

  @Test
  void aGatewayUrlWithoutAHostIsReportedDown(Vertx vertx, VertxTestContext ctx) {
    HealthChecks.create(vertx).register("g", HealthProcedures.gatewayReachable(vertx, "not a url"))
        .checkStatus("g")
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertFalse(result.getStatus().isOk());
          ctx.completeNow();
        })));
  }

  @Test
  void aComponentsReportedStatusBecomesTheChecksResultAndData(Vertx vertx, VertxTestContext ctx) {
    HealthChecks checks = HealthChecks.create(vertx);
    HealthProcedures.register(checks, "circuit-breaker", () -> new JsonObject().put("ok", true).put("state", "CLOSED"));
    checks.checkStatus("circuit-breaker").onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      assertTrue(result.getStatus().isOk());
      assertEquals(new JsonObject().put("state", "CLOSED"), result.getStatus().getData());
      ctx.completeNow();
    })));
  }

  @Test
  void aStatusWithoutOkOrASupplierThatThrowsIsDown(Vertx vertx, VertxTestContext ctx) {
    HealthChecks checks = HealthChecks.create(vertx);
    HealthProcedures.register(checks, "silent", JsonObject::new);
    HealthProcedures.register(checks, "broken", () -> {
      throw new IllegalStateException("no reading");
    });
    checks.checkStatus("silent")
        .compose(silent -> checks.checkStatus("broken").map(broken -> {
          ctx.verify(() -> {
            assertFalse(silent.getStatus().isOk());
            assertFalse(broken.getStatus().isOk());
            assertEquals("no reading", broken.getStatus().getData().getString("error"));
          });
          return broken;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
