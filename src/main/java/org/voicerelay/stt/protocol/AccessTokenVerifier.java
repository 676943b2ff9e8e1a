package org.voicerelay.stt.protocol;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/**
 * Checks a bearer token the way the gateway does: HS256 signature with the configured secret, the
 * issuer equal to the configured API key, {@code exp}/{@code nbf}, and the inference grant. The
 * failure message says which check failed but never echoes the token.
 */
public final class AccessTokenVerifier {

  private final JWTAuth auth;

  public AccessTokenVerifier(Vertx vertx, String apiKey, String apiSecret) {
    this.auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(apiSecret))
        .setJWTOptions(new JWTOptions().setIssuer(apiKey).setLeeway(5)));
  }

  /** Succeeds with the token's claims, or fails with a short reason. */
  public Future<JsonObject> verify(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture("missing bearer token");
    }
    String token = authorizationHeader.substring(7).trim();
    return auth.authenticate(new TokenCredentials(token))
        .recover(err -> Future.failedFuture("invalid token: " + err.getMessage()))
        .compose(user -> {
          JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
          JsonObject grant = claims.getValue("inference") instanceof JsonObject g ? g : null;
          if (grant == null || !Boolean.TRUE.equals(grant.getValue("perform"))) {
            return Future.failedFuture("token lacks the inference grant");
          }
          if (!claims.containsKey("exp")) {
            return Future.failedFuture("token has no expiry");
          }
          return Future.succeededFuture(claims);
        });
  }
}
