package org.voicerelay.stt.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each way a token can be wrong is refused for its own reason: the token is otherwise valid, so
 * a test passes only if the verifier notices the one thing that is wrong.
 */
@ExtendWith(VertxExtension.class)
class AccessTokenVerifierTest {

  private static final String KEY = "testkey";
  private static final String SECRET = "a-test-secret-long-enough-for-hs256";

  private AccessTokenVerifier verifier;

  @BeforeEach
  void createVerifier(Vertx vertx) {
    verifier = new AccessTokenVerifier(vertx, KEY, SECRET);
  }

  @Test
  void aHandMadeTokenWithValidClaimsIsAccepted(VertxTestContext ctx) {
    verifier.verify("Bearer " + ForgedToken.hs256(ForgedToken.validClaims(KEY), SECRET))
        .onComplete(ctx.succeeding(claims -> ctx.verify(() -> {
          assertEquals(KEY, claims.getString("iss"));
          ctx.completeNow();
        })));
  }

  @Test
  void anUnsignedTokenWithAlgNoneIsRefused(VertxTestContext ctx) {
    expectRefused(ctx, ForgedToken.unsigned(ForgedToken.validClaims(KEY)),
        "invalid token: algorithm none is not accepted, only HS256");
  }

  @Test
  void anRs256TokenIsRefused(VertxTestContext ctx) {
    expectRefused(ctx, ForgedToken.rs256(ForgedToken.validClaims(KEY)),
        "invalid token: algorithm RS256 is not accepted, only HS256");
  }

  @Test
  void aTokenSignedWithAnotherHs256KeyIsRefused(VertxTestContext ctx) {
    expectRefused(ctx, ForgedToken.hs256(ForgedToken.validClaims(KEY), "another-secret-just-as-long-as-the-first"),
        "invalid token: Signature verification failed");
  }

  @Test
  void aTokenNotValidBeforeAMinuteFromNowIsRefused(VertxTestContext ctx) {
    JsonObject claims = ForgedToken.validClaims(KEY);
    claims.put("nbf", claims.getLong("nbf") + 60);
    expectRefused(ctx, ForgedToken.hs256(claims, SECRET), "token not valid yet");
  }

  @Test
  void aTokenWithoutExpiryIsRefused(VertxTestContext ctx) {
    JsonObject claims = ForgedToken.validClaims(KEY);
    claims.remove("exp");
    expectRefused(ctx, ForgedToken.hs256(claims, SECRET), "token has no expiry");
  }

  @Test
  void aTokenThatExpiredAMinuteAgoIsRefused(VertxTestContext ctx) {
    JsonObject claims = ForgedToken.validClaims(KEY);
    long now = claims.getLong("nbf");
    claims.put("nbf", now - 660).put("exp", now - 60);
    expectRefused(ctx, ForgedToken.hs256(claims, SECRET), "token expired");
  }

  private void expectRefused(VertxTestContext ctx, String token, String reason) {
    verifier.verify("Bearer " + token).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertEquals(reason, err.getMessage());
      assertFalse(err.getMessage().contains(token), "the reason echoes the token");
      ctx.completeNow();
    })));
  }
}
