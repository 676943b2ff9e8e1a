package org.voicerelay.stt.protocol;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWTs built byte by byte, so a test controls every header field and claim, including the ones a
 * well-behaved signer would never write ({@code alg: none}, no {@code exp}).
 */
public final class ForgedToken {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private ForgedToken() {
  }

  /** The claims of a token the gateway accepts: issuer, subject, validity around now, the grant. */
  public static JsonObject validClaims(String apiKey) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject()
        .put("iss", apiKey)
        .put("sub", "agent")
        .put("nbf", now)
        .put("exp", now + 600)
        .put("inference", new JsonObject().put("perform", true));
  }

  public static String hs256(JsonObject claims, String secret) {
    String signingInput = signingInput("HS256", claims);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signed with a fresh RSA key the gateway has never seen. */
  public static String rs256(JsonObject claims) {
    String signingInput = signingInput("RS256", claims);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initSign(generator.generateKeyPair().getPrivate());
      rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(rsa.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsecured JWT: {@code alg: none} and an empty signature. */
  public static String unsigned(JsonObject claims) {
    return signingInput("none", claims) + ".";
  }

  private static String signingInput(String alg, JsonObject claims) {
    JsonObject header = new JsonObject().put("alg", alg).put("typ", "JWT");
    return B64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
  }
}
