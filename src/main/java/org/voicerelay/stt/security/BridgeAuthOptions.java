package org.voicerelay.stt.security;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.voicerelay.stt.config.JsonTypes;

/**
 * Who may use a bridge ({@code bridge.auth} for the TCP bridge, {@code web.auth} for the SockJS
 * one): callers prove who they are with a JWT checked against a shared HS256 secret
 * ({@code jwtSecret}) or public keys (RS256/ES256: PEM {@code publicKeys}, a JWKS file
 * {@code jwksPath} or a JWKS URL {@code jwksUrl}). Authentication is on as soon as one of them is
 * set, off otherwise (the default, for loopback). {@code maxSessionsPerSubject} applies either way:
 * per token subject with authentication, per connection without.
 *
 * <p>The secret is read but never written by {@link #toJson()} or {@link #toString()}.
 *
 * <p>JSON: {@code {"jwtSecret", "publicKeys":[], "jwksPath", "jwksUrl", "jwksRefreshMs":600000,
 * "issuer", "audience", "leewaySeconds":5, "maxSessionsPerSubject":10}}.
 */
@DataObject
@JsonGen(publicConverter = false)
public class BridgeAuthOptions {

  /** Sessions one caller may have open at once on a node; a call needs one. */
  public static final int DEFAULT_MAX_SESSIONS_PER_SUBJECT = 10;
  /** Clock difference between the token issuer and the node that is forgiven on exp and nbf. */
  public static final int DEFAULT_LEEWAY_SECONDS = 5;
  /** How often keys from {@code jwksUrl} are fetched again (key rotation). */
  public static final long DEFAULT_JWKS_REFRESH_MS = 600_000;

  private String jwtSecret;
  private List<String> publicKeys = new ArrayList<>();
  private String jwksPath;
  private String jwksUrl;
  private long jwksRefreshMs = DEFAULT_JWKS_REFRESH_MS;
  private String issuer;
  private String audience;
  private int leewaySeconds = DEFAULT_LEEWAY_SECONDS;
  private int maxSessionsPerSubject = DEFAULT_MAX_SESSIONS_PER_SUBJECT;

  public BridgeAuthOptions() {
  }

  public BridgeAuthOptions(BridgeAuthOptions other) {
    this.jwtSecret = other.jwtSecret;
    this.publicKeys = new ArrayList<>(other.publicKeys);
    this.jwksPath = other.jwksPath;
    this.jwksUrl = other.jwksUrl;
    this.jwksRefreshMs = other.jwksRefreshMs;
    this.issuer = other.issuer;
    this.audience = other.audience;
    this.leewaySeconds = other.leewaySeconds;
    this.maxSessionsPerSubject = other.maxSessionsPerSubject;
  }

  public BridgeAuthOptions(JsonObject json) {
    BridgeAuthOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "auth."), this);
  }

  /** The options without the secret. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    BridgeAuthOptionsConverter.toJson(this, json);
    json.remove("jwtSecret");
    return json;
  }

  /** Whether callers must present a token: a secret or a public key source is configured. */
  public boolean isEnabled() {
    return jwtSecret != null || !publicKeys.isEmpty() || jwksPath != null || jwksUrl != null;
  }

  public String getJwtSecret() {
    return jwtSecret;
  }

  /**
   * The shared HS256 secret (env {@code STT_BRIDGE_JWT_SECRET}); at least 32 bytes. A secret:
   * never in {@link #toJson()} or {@link #toString()}.
   */
  public BridgeAuthOptions setJwtSecret(String jwtSecret) {
    if (jwtSecret != null && !jwtSecret.isEmpty() && jwtSecret.length() < 32) {
      throw new IllegalArgumentException("bridge.auth.jwtSecret must be at least 32 characters (HS256 key)");
    }
    this.jwtSecret = jwtSecret == null || jwtSecret.isEmpty() ? null : jwtSecret;
    return this;
  }

  public List<String> getPublicKeys() {
    return publicKeys;
  }

  /** PEM public keys ({@code -----BEGIN PUBLIC KEY-----}), RSA (RS256) or EC P-256 (ES256). */
  public BridgeAuthOptions setPublicKeys(List<String> publicKeys) {
    this.publicKeys = new ArrayList<>(Objects.requireNonNull(publicKeys, "publicKeys"));
    return this;
  }

  public String getJwksPath() {
    return jwksPath;
  }

  /** A JWKS file ({@code {"keys":[...]}}), read once at start. */
  public BridgeAuthOptions setJwksPath(String jwksPath) {
    this.jwksPath = blankToNull(jwksPath);
    return this;
  }

  public String getJwksUrl() {
    return jwksUrl;
  }

  /** A JWKS URL (the issuer's {@code jwks_uri}), fetched at start and every {@code jwksRefreshMs}. */
  public BridgeAuthOptions setJwksUrl(String jwksUrl) {
    this.jwksUrl = blankToNull(jwksUrl);
    return this;
  }

  public long getJwksRefreshMs() {
    return jwksRefreshMs;
  }

  public BridgeAuthOptions setJwksRefreshMs(long jwksRefreshMs) {
    if (jwksRefreshMs < 1_000) {
      throw new IllegalArgumentException("bridge.auth.jwksRefreshMs must be >= 1000, got " + jwksRefreshMs);
    }
    this.jwksRefreshMs = jwksRefreshMs;
    return this;
  }

  public String getIssuer() {
    return issuer;
  }

  /** If set, a token's {@code iss} must be this. */
  public BridgeAuthOptions setIssuer(String issuer) {
    this.issuer = blankToNull(issuer);
    return this;
  }

  public String getAudience() {
    return audience;
  }

  /** If set, a token's {@code aud} must contain this. */
  public BridgeAuthOptions setAudience(String audience) {
    this.audience = blankToNull(audience);
    return this;
  }

  public int getLeewaySeconds() {
    return leewaySeconds;
  }

  public BridgeAuthOptions setLeewaySeconds(int leewaySeconds) {
    if (leewaySeconds < 0) {
      throw new IllegalArgumentException("bridge.auth.leewaySeconds must be >= 0, got " + leewaySeconds);
    }
    this.leewaySeconds = leewaySeconds;
    return this;
  }

  public int getMaxSessionsPerSubject() {
    return maxSessionsPerSubject;
  }

  /**
   * Open sessions per caller on one node (per token subject, or per connection without
   * authentication); one more open is refused with {@code quota_exceeded}.
   */
  public BridgeAuthOptions setMaxSessionsPerSubject(int maxSessionsPerSubject) {
    if (maxSessionsPerSubject < 1) {
      throw new IllegalArgumentException("bridge.auth.maxSessionsPerSubject must be >= 1, got "
          + maxSessionsPerSubject);
    }
    this.maxSessionsPerSubject = maxSessionsPerSubject;
    return this;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public String toString() {
    return "BridgeAuthOptions" + toJson().encode();
  }
}
