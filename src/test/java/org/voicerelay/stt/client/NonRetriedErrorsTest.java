package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.gateway.GatewayErrorCode;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.EnglishCountingRecognizer;

/**
 * The gateway's answers that end a stream at once, as LiveKit's clients treat a client error (a
 * status or code 400-499 but 408, 429, 499), and the local gateway's own refusals (4000-4099); the
 * transient ones are retried.
 */
class NonRetriedErrorsTest extends OnScriptedGateway {

  @Test
  void anErrorFrameWithAClientErrorCodeEndsTheStreamAtOnce(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if ("session.create".equals(f.getString("type"))) {
        c.send(new JsonObject().put("type", "error").put("code", 400).put("message", "unknown option"));
      }
    };
    SttClient.create(vertx, gateway.options()).stream().end().onComplete(ctx.failing(err ->
        vertx.setTimer(500, t -> ctx.verify(() -> {
          SttException failure = (SttException) err;
          assertEquals(SttErrorCode.REQUEST_REJECTED, failure.code());
          assertEquals(400, failure.statusCode());
          assertFalse(failure.retryable());
          assertEquals(1, gateway.connections.size(), "not retried");
          ctx.completeNow();
        }))));
  }

  @Test
  void anErrorFrameWithCode429IsRetried(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if (c.index == 0 && "session.create".equals(f.getString("type"))) {
        c.send(new JsonObject().put("type", "error").put("code", 429).put("message", "slow down"));
      } else {
        ScriptedGateway.cooperative(c, f);
      }
    };
    SttClient.create(vertx, gateway.options()).stream().end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertEquals(2, gateway.connections.size(), "retried on a new connection");
      ctx.completeNow();
    })));
  }

  @Test
  void anUpgradeRefusedWith404EndsTheStreamAtOnce(Vertx vertx, VertxTestContext ctx) {
    gateway.upgradeStatus = n -> 404;
    SttClient.create(vertx, gateway.options()).stream().end().onComplete(ctx.failing(err ->
        vertx.setTimer(500, t -> ctx.verify(() -> {
          assertEquals(SttErrorCode.REQUEST_REJECTED, ((SttException) err).code());
          assertEquals(404, ((SttException) err).statusCode());
          assertEquals(1, gateway.connections.size(), "not retried");
          ctx.completeNow();
        }))));
  }

  @Test
  void anUpgradeRefusedWith408IsRetried(Vertx vertx, VertxTestContext ctx) {
    gateway.upgradeStatus = n -> n == 0 ? 408 : 101;
    SttClient.create(vertx, gateway.options()).stream().end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertEquals(2, gateway.connections.size());
      ctx.completeNow();
    })));
  }

  @Test
  void theLocalGatewaysUnsupportedLanguageEndsTheStreamAtOnceWithItsCode4010(Vertx vertx, VertxTestContext ctx) {
    LocalGatewayVerticle local = new LocalGatewayVerticle(new LocalGatewayOptions().setApiKey(ScriptedGateway.KEY)
        .setApiSecret(ScriptedGateway.SECRET), new EnglishCountingRecognizer());
    vertx.deployVerticle(local)
        .compose(id -> SttClient.create(vertx, new SttOptions().setBaseUrl("http://127.0.0.1:" + local.actualPort() + "/v1")
            .setApiKey(ScriptedGateway.KEY).setApiSecret(ScriptedGateway.SECRET).setLanguage("fr")).stream().end())
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          SttException failure = (SttException) err;
          assertEquals(SttErrorCode.REQUEST_REJECTED, failure.code());
          assertEquals(GatewayErrorCode.UNSUPPORTED_LANGUAGE, failure.statusCode());
          assertTrue(failure.getMessage().contains("4010"), failure.getMessage());
          ctx.completeNow();
        })));
  }

}
