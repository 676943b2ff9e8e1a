package org.voicerelay.stt.protocol;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/**
 * Checks a bearer token the way the gateway does: the header names HS256 (nothing else, so
 * neither {@code alg: none} nor a public-key algorithm gets near the key), the HS256 signature
 * with the configured secret, the issuer equal to the configured API key, an {@code exp} that is
 * present and not past, an {@code nbf} that is not in the future, and the inference grant.
 *
 * <p>The times are checked here rather than by Vert.x Auth, which reports a future {@code nbf}
 * as "expired"; an operator reading the reason should see which claim was wrong. The failure
 * message never echoes the token.
 */
public final class AccessTokenVerifier {

  /** Seconds of clock difference tolerated on {@code exp} and {@code nbf}. */
  public static final long LEEWAY_SECONDS = 5;

  private static final String ALGORITHM = "HS256";

  private final JWTAuth auth;
  private final Clock clock;

  public AccessTokenVerifier(Vertx vertx, String apiKey, String apiSecret) {
    this(vertx, apiKey, apiSecret, Clock.systemUTC());
  }

  public AccessTokenVerifier(Vertx vertx, String apiKey, String apiSecret, Clock clock) {
    this.clock = clock;
    this.auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(apiSecret))
        .setJWTOptions(new JWTOptions().setIssuer(apiKey).setIgnoreExpiration(true)));
  }

  /** Succeeds with the token's claims, or fails with a short reason. */
  public Future<JsonObject> verify(String authorizationHeader) {
    if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture("missing bearer token");
    }
    String token = authorizationHeader.substring(7).trim();
    String algorithm = algorithm(token);
    if (!ALGORITHM.equals(algorithm)) {
      return Future.failedFuture(algorithm == null
          ? "invalid token: malformed header"
          : "invalid token: algorithm " + algorithm + " is not accepted, only " + ALGORITHM);
    }
    return auth.authenticate(new TokenCredentials(token))
        .recover(err -> Future.failedFuture("invalid token: " + err.getMessage()))
        .compose(user -> checkClaims(user.attributes().getJsonObject("accessToken", new JsonObject())));
  }

  private Future<JsonObject> checkClaims(JsonObject claims) {
    long now = clock.instant().getEpochSecond();
    if (!(claims.getValue("exp") instanceof Number exp)) {
      return Future.failedFuture("token has no expiry");
    }
    if (now - LEEWAY_SECONDS >= exp.longValue()) {
      return Future.failedFuture("token expired");
    }
    if (claims.getValue("nbf") instanceof Number nbf && nbf.longValue() > now + LEEWAY_SECONDS) {
      return Future.failedFuture("token not valid yet");
    }
    JsonObject grant = claims.getValue("inference") instanceof JsonObject g ? g : null;
    if (grant == null || !Boolean.TRUE.equals(grant.getValue("perform"))) {
      return Future.failedFuture("token lacks the inference grant");
    }
    return Future.succeededFuture(claims);
  }

  /** The {@code alg} of the token's header, or null if the header is not base64url JSON. */
  private static String algorithm(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return null;
    }
    try {
      JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
          StandardCharsets.UTF_8));
      return header.getValue("alg") instanceof String alg ? alg : null;
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return null;
    }
  }
}
