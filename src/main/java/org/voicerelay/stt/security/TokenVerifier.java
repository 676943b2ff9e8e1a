package org.voicerelay.stt.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the bridge callers' JWTs with Vert.x Auth JWT: signature (HS256 shared secret, RS256 or
 * ES256 public keys), {@code alg: none} refused, {@code exp} and {@code nbf} with the configured
 * leeway, {@code iss} and {@code aud} if configured, and a {@code sub} that names the caller.
 * Keys are loaded before the first check, without blocking: the JWKS file with Vert.x's
 * asynchronous file system, the JWKS URL with the Web Client (and again every
 * {@code jwksRefreshMs}, for key rotation).
 *
 * <p>Checking itself is synchronous inside Vert.x Auth JWT, so a bridge can decide on a frame at
 * once and keep the caller's frames in order. A refusal names a reason ({@link Refusal}), never the
 * token.
 */
public final class TokenVerifier {

  /** Why a token was refused; the names are the {@code reason} tag of the refusal counter. */
  public enum Refusal {
    NO_TOKEN, INVALID_TOKEN, EXPIRED, NO_SUBJECT;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A refused token: an exception without a stack trace whose message is the reason only. */
  public static final class RefusedToken extends RuntimeException {
    private final Refusal reason;

    RefusedToken(Refusal reason) {
      super(reason.tag(), null, false, false);
      this.reason = reason;
    }

    public Refusal reason() {
      return reason;
    }
  }

  /** A valid token's subject and when the token stops being valid (epoch ms, or MAX_VALUE). */
  public record Verified(String subject, long validUntilMs) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);
  private static final String BEARER = "bearer ";

  private final Vertx vertx;
  private final BridgeAuthOptions options;
  private volatile JWTAuth auth;
  private long refreshTimer = -1;

  private TokenVerifier(Vertx vertx, BridgeAuthOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  /** A verifier with its keys loaded; fails if a key source cannot be read or holds no usable key. */
  public static Future<TokenVerifier> start(Vertx vertx, BridgeAuthOptions options) {
    TokenVerifier verifier = new TokenVerifier(vertx, new BridgeAuthOptions(options));
    return verifier.load().map(v -> {
      if (options.getJwksUrl() != null) {
        verifier.refreshTimer = vertx.setPeriodic(options.getJwksRefreshMs(), t -> verifier.load()
            .onFailure(e -> LOG.warn("bridge auth: fetching the JWKS again failed ({}); the keys of before stay",
                e.getMessage())));
      }
      return verifier;
    });
  }

  public void close() {
    vertx.cancelTimer(refreshTimer);
  }

  /**
   * The caller named by an {@code Authorization} header value ({@code Bearer <jwt>}).
   *
   * @return a future that is already complete: the caller, or a {@link RefusedToken}
   */
  public Future<Verified> verify(String authorization) {
    if (authorization == null || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Future.failedFuture(new RefusedToken(Refusal.NO_TOKEN));
    }
    String token = authorization.substring(BEARER.length()).trim();
    return auth.authenticate(new TokenCredentials(token)).transform(ar -> {
      if (ar.failed()) {
        String message = String.valueOf(ar.cause().getMessage());
        return Future.failedFuture(new RefusedToken(message.contains("expired") ? Refusal.EXPIRED
            : Refusal.INVALID_TOKEN));
      }
      JsonObject claims = ar.result().attributes().getJsonObject("accessToken", new JsonObject());
      Object sub = claims.getValue("sub");
      if (!(sub instanceof String subject) || subject.isBlank()) {
        return Future.failedFuture(new RefusedToken(Refusal.NO_SUBJECT));
      }
      Object exp = claims.getValue("exp");
      long until = exp instanceof Number n ? n.longValue() * 1000 + options.getLeewaySeconds() * 1000L : Long.MAX_VALUE;
      return Future.succeededFuture(new Verified(subject, until));
    });
  }

  private Future<Void> load() {
    JWTAuthOptions jwt = new JWTAuthOptions().setJWTOptions(jwtOptions());
    if (options.getJwtSecret() != null) {
      jwt.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(options.getJwtSecret()));
    }
    for (String pem : options.getPublicKeys()) {
      jwt.addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithmOf(pem)).setBuffer(pem));
    }
    List<Future<JsonArray>> jwks = new ArrayList<>();
    if (options.getJwksPath() != null) {
      jwks.add(vertx.fileSystem().readFile(options.getJwksPath()).map(TokenVerifier::keys)
          .recover(e -> Future.failedFuture(new IllegalArgumentException("bridge auth: the JWKS file "
              + options.getJwksPath() + " cannot be read as a JWKS: " + e.getMessage()))));
    }
    if (options.getJwksUrl() != null) {
      WebClient client = WebClient.create(vertx);
      jwks.add(client.getAbs(options.getJwksUrl()).timeout(10_000).send()
          .compose(response -> response.statusCode() == 200 ? Future.succeededFuture(keys(response.body()))
              : Future.failedFuture("status " + response.statusCode()))
          .recover(e -> Future.failedFuture(new IllegalArgumentException("bridge auth: the JWKS at "
              + options.getJwksUrl() + " cannot be fetched: " + e.getMessage())))
          .onComplete(ar -> client.close()));
    }
    return Future.all(jwks).compose(all -> {
      for (Future<JsonArray> each : jwks) {
        each.result().forEach(key -> jwt.addJwk((JsonObject) key));
      }
      try {
        auth = JWTAuth.create(vertx, jwt);
        return Future.succeededFuture();
      } catch (RuntimeException e) {
        // the message of a key error may quote the key material: say only where it came from
        return Future.failedFuture(new IllegalArgumentException("bridge auth: a configured key is not usable ("
            + e.getClass().getSimpleName() + ")"));
      }
    });
  }

  private JWTOptions jwtOptions() {
    JWTOptions jwt = new JWTOptions().setLeeway(options.getLeewaySeconds());
    if (options.getIssuer() != null) {
      jwt.setIssuer(options.getIssuer());
    }
    if (options.getAudience() != null) {
      jwt.addAudience(options.getAudience());
    }
    return jwt;
  }

  private static JsonArray keys(Buffer jwks) {
    JsonArray keys = new JsonObject(jwks).getJsonArray("keys");
    if (keys == null || keys.isEmpty()) {
      throw new IllegalArgumentException("no \"keys\"");
    }
    return keys;
  }

  /** RS256 for an RSA public key, ES256 for an EC one. */
  static String algorithmOf(String pem) {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bridge.auth.publicKeys holds a key that is not PEM");
    }
    for (String[] kind : new String[][] {{"RSA", "RS256"}, {"EC", "ES256"}}) {
      try {
        KeyFactory.getInstance(kind[0]).generatePublic(new X509EncodedKeySpec(der));
        return kind[1];
      } catch (Exception e) {
        // try the next kind
      }
    }
    throw new IllegalArgumentException("bridge.auth.publicKeys holds a key that is neither RSA nor EC");
  }
}
