package org.voicerelay.stt.protocol;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Clock;

/**
 * Issues LiveKit access tokens for the inference gateway: HS256 signed with the API secret, with
 * {@code iss} = API key, {@code sub} = identity, {@code nbf} = now, {@code exp} = now + TTL and the
 * grant {@code "inference": {"perform": true}}. A fresh token is issued for every connection
 * attempt, so a long-lived stream never presents an expired one.
 *
 * <p>{@link #toString()} shows the key only; the secret stays inside the signer.
 */
public final class AccessToken {

  public static final String DEFAULT_IDENTITY = "agent";
  public static final long DEFAULT_TTL_SECONDS = 600;

  private final String apiKey;
  private final JWTAuth signer;
  private final Clock clock;

  public AccessToken(Vertx vertx, String apiKey, String apiSecret) {
    this(vertx, apiKey, apiSecret, Clock.systemUTC());
  }

  public AccessToken(Vertx vertx, String apiKey, String apiSecret, Clock clock) {
    if (apiKey == null || apiKey.isEmpty()) {
      throw new IllegalArgumentException("apiKey must not be empty");
    }
    if (apiSecret == null || apiSecret.isEmpty()) {
      throw new IllegalArgumentException("apiSecret must not be empty");
    }
    this.apiKey = apiKey;
    this.clock = clock;
    this.signer = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(apiSecret)));
  }

  /** A token valid from now for {@link #DEFAULT_TTL_SECONDS}. */
  public String issue() {
    return issue(DEFAULT_IDENTITY, DEFAULT_TTL_SECONDS);
  }

  public String issue(String identity, long ttlSeconds) {
    long now = clock.instant().getEpochSecond();
    JsonObject claims = new JsonObject()
        .put("iss", apiKey)
        .put("sub", identity)
        .put("nbf", now)
        .put("exp", now + ttlSeconds)
        .put("inference", new JsonObject().put("perform", true));
    return signer.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
  }

  @Override
  public String toString() {
    return "AccessToken{apiKey=" + apiKey + "}";
  }
}
