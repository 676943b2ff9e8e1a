package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.protocol.AccessToken;
import org.voicerelay.stt.protocol.ForgedToken;

/**
 * The gateway checks the bearer token as LiveKit's does, and refuses before the upgrade: each
 * token here is valid but for the one thing its test names (the reasons are pinned down by
 * {@code AccessTokenVerifierTest}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class LocalGatewayAuthTest {

  private int port;

  @BeforeEach
  void deployGateway(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.deployCountingGateway(vertx).onComplete(ctx.succeeding(p -> {
      port = p;
      ctx.completeNow();
    }));
  }

  @Test
  void anUnsignedTokenWithAlgNoneIsRefusedWith401(Vertx vertx, VertxTestContext ctx) {
    expectRejected(vertx, ctx, "Bearer " + ForgedToken.unsigned(validClaims()), 401);
  }

  @Test
  void anRs256TokenIsRefusedWith401(Vertx vertx, VertxTestContext ctx) {
    expectRejected(vertx, ctx, "Bearer " + ForgedToken.rs256(validClaims()), 401);
  }

  @Test
  void aTokenSignedWithAnotherHs256KeyIsRefusedWith401(Vertx vertx, VertxTestContext ctx) {
    String token = ForgedToken.hs256(validClaims(), "some-other-secret-of-decent-length");
    expectRejected(vertx, ctx, "Bearer " + token, 401);
  }

  @Test
  void aTokenNotValidBeforeAMinuteFromNowIsRefusedWith401(Vertx vertx, VertxTestContext ctx) {
    JsonObject claims = validClaims();
    claims.put("nbf", claims.getLong("nbf") + 60);
    expectRejected(vertx, ctx, "Bearer " + ForgedToken.hs256(claims, GatewayTestSocket.API_SECRET), 401);
  }

  @Test
  void aTokenWithoutExpiryIsRefusedWith401(Vertx vertx, VertxTestContext ctx) {
    JsonObject claims = validClaims();
    claims.remove("exp");
    expectRejected(vertx, ctx, "Bearer " + ForgedToken.hs256(claims, GatewayTestSocket.API_SECRET), 401);
  }

  @Test
  void anExpiredTokenIsRefusedWith401(Vertx vertx, VertxTestContext ctx) {
    Clock anHourAgo = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
    String token = new AccessToken(vertx, GatewayTestSocket.API_KEY, GatewayTestSocket.API_SECRET, anHourAgo)
        .issue();
    expectRejected(vertx, ctx, "Bearer " + token, 401);
  }

  @Test
  void aHandMadeTokenWithValidClaimsOpensTheSocket(Vertx vertx, VertxTestContext ctx) {
    String token = ForgedToken.hs256(validClaims(), GatewayTestSocket.API_SECRET);
    GatewayTestSocket.connect(vertx, port, LocalGatewayVerticle.V1_PATH, "Bearer " + token)
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aTokenFromAnotherIssuerIsRefusedWith401(Vertx vertx, VertxTestContext ctx) {
    String token = new AccessToken(vertx, "otherkey", GatewayTestSocket.API_SECRET).issue();
    expectRejected(vertx, ctx, "Bearer " + token, 401);
  }

  @Test
  void aTokenWithoutTheInferenceGrantIsRefusedWith401(Vertx vertx, VertxTestContext ctx) {
    JWTAuth signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(GatewayTestSocket.API_SECRET)));
    long now = System.currentTimeMillis() / 1000;
    String token = signer.generateToken(new JsonObject()
            .put("iss", GatewayTestSocket.API_KEY).put("sub", "agent").put("nbf", now).put("exp", now + 600)
            .put("video", new JsonObject().put("roomJoin", true)),
        new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
    expectRejected(vertx, ctx, "Bearer " + token, 401);
  }

  @Test
  void aMissingAuthorizationHeaderIsRefusedWith401(Vertx vertx, VertxTestContext ctx) {
    expectRejected(vertx, ctx, null, 401);
  }

  @Test
  void aPathOtherThanSttIsRefusedWith404(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.connect(vertx, port, "/v1/tts", "Bearer " + GatewayTestSocket.validToken(vertx))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertEquals(404, assertInstanceOf(UpgradeRejectedException.class, err).getStatus());
          ctx.completeNow();
        })));
  }

  private static JsonObject validClaims() {
    return ForgedToken.validClaims(GatewayTestSocket.API_KEY);
  }

  private void expectRejected(Vertx vertx, VertxTestContext ctx, String authorization, int status) {
    GatewayTestSocket.connect(vertx, port, LocalGatewayVerticle.V1_PATH, authorization)
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertEquals(status, assertInstanceOf(UpgradeRejectedException.class, err).getStatus());
          ctx.completeNow();
        })));
  }
}
