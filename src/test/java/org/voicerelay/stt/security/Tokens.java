package org.voicerelay.stt.security;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** Tokens made in the test: signed with the test's secret or keys, or forged in the ways callers could. */
final class Tokens {

  /** The bridge's shared secret in these tests (32+ characters, as HS256 needs). */
  static final String SECRET = "bridge-secret-Zq81mVw3-for-tests-only-4471";
  static final String OTHER_SECRET = "not-the-bridge-secret-Lp20aQ7c-tests-only";

  private Tokens() {
  }

  /** An HS256 token of {@code subject} valid for an hour. */
  static String hs256(Vertx vertx, String subject) {
    return hs256(vertx, SECRET, claims(subject));
  }

  static String hs256(Vertx vertx, String secret, JsonObject claims) {
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    return auth.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
  }

  /** {@code sub}, {@code iat} now, {@code exp} in an hour. */
  static JsonObject claims(String subject) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = new JsonObject().put("iat", now).put("exp", now + 3600);
    return subject == null ? claims : claims.put("sub", subject);
  }

  /** An unsigned token ({@code alg: none}) claiming {@code subject}. */
  static String algNone(String subject) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims(subject).encode().getBytes(StandardCharsets.UTF_8)) + ".";
  }

  /** A token signed with {@code privatePem} ({@code RS256} or {@code ES256}). */
  static String signed(Vertx vertx, String algorithm, String privatePem, String subject) {
    JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(privatePem)));
    return auth.generateToken(claims(subject), new JWTOptions().setAlgorithm(algorithm).setNoTimestamp(true));
  }

  static KeyPair keyPair(String kind) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(kind);
      if (kind.equals("EC")) {
        generator.initialize(new ECGenParameterSpec("secp256r1"));
      } else {
        generator.initialize(2048);
      }
      return generator.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String publicPem(KeyPair pair) {
    return pem("PUBLIC KEY", pair.getPublic().getEncoded());
  }

  static String privatePem(KeyPair pair) {
    return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
  }

  /** The JWKS of an EC P-256 key: what an issuer publishes at its {@code jwks_uri}. */
  static JsonObject jwks(KeyPair ec) {
    ECPublicKey key = (ECPublicKey) ec.getPublic();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add(new JsonObject()
        .put("kty", "EC").put("crv", "P-256").put("alg", "ES256").put("use", "sig").put("kid", "test-1")
        .put("x", b64.encodeToString(unsigned32(key.getW().getAffineX().toByteArray())))
        .put("y", b64.encodeToString(unsigned32(key.getW().getAffineY().toByteArray())))));
  }

  private static byte[] unsigned32(byte[] bytes) {
    if (bytes.length == 32) {
      return bytes;
    }
    if (bytes.length > 32) {
      return Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length);
    }
    byte[] padded = new byte[32];
    System.arraycopy(bytes, 0, padded, 32 - bytes.length, bytes.length);
    return padded;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }
}
