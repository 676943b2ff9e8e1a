package org.voicerelay.stt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.cluster.ClusterOptions;
import org.voicerelay.stt.config.NodeConfig;
import org.voicerelay.stt.web.WebOptions;

/** The security options as configuration gives them: from variables, checked, secrets kept out of JSON. */
@ExtendWith(VertxExtension.class)
class SecurityOptionsTest {

  @Test
  void theVariablesReachTheBridgeWebAndClusterOptionsAndTheSecretsStayOutOfTheirJson(Vertx vertx,
      VertxTestContext ctx) {
    Map<String, String> env = Map.of("STT_BRIDGE_JWT_SECRET", Tokens.SECRET, "STT_BRIDGE_MAX_SESSIONS_PER_SUBJECT", "3",
        "STT_BRIDGE_TLS_ENABLED", "true", "STT_BRIDGE_TLS_KEY_STORE", "conf/bridge.p12",
        "STT_BRIDGE_TLS_KEY_STORE_PASSWORD", "bridge-store-pass", "STT_WEB_JWT_SECRET", Tokens.OTHER_SECRET,
        "STT_CLUSTER_TLS_ENABLED", "true", "STT_CLUSTER_TLS_TRUST_STORE_PASSWORD", "cluster-trust-pass");
    NodeConfig.load(vertx, new JsonObject(), env)
        .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
          SttVerticleOptions stt = new SttVerticleOptions(config);
          assertEquals(Tokens.SECRET, stt.getBridge().getAuth().getJwtSecret());
          assertEquals(3, stt.getBridge().getAuth().getMaxSessionsPerSubject());
          assertTrue(stt.getBridge().getAuth().isEnabled());
          assertEquals("conf/bridge.p12", stt.getBridge().getTls().getKeyStorePath());
          assertEquals("bridge-store-pass", stt.getBridge().getTls().getKeyStorePassword());
          WebOptions web = new WebOptions(config.getJsonObject("web"));
          assertEquals(Tokens.OTHER_SECRET, web.getAuth().getJwtSecret());
          ClusterOptions cluster = new ClusterOptions(config.getJsonObject("cluster"));
          assertTrue(cluster.getTls().isEnabled());
          for (String shown : new String[] {stt.toString(), stt.toJson().encode(), web.toString(), cluster.toString()}) {
            assertFalse(shown.contains(Tokens.SECRET), shown);
            assertFalse(shown.contains(Tokens.OTHER_SECRET), shown);
            assertFalse(shown.contains("bridge-store-pass"), shown);
            assertFalse(shown.contains("cluster-trust-pass"), shown);
          }
          ctx.completeNow();
        })));
  }

  @Test
  void tokensAreOffUntilASecretOrKeyIsSet() {
    assertFalse(new BridgeAuthOptions().isEnabled());
    assertTrue(new BridgeAuthOptions().setJwksUrl("https://issuer.example/jwks").isEnabled());
  }

  @Test
  void aSharedSecretShorterThan32CharactersIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BridgeAuthOptions().setJwtSecret("short-secret"));
  }

  @Test
  void tlsWithoutACertificateOrTheClusterWithoutTrustFailsTheStartNamingTheOption() {
    IllegalArgumentException noCertificate = assertThrows(IllegalArgumentException.class,
        () -> new TlsOptions().setEnabled(true).check("bridge.tls", false));
    assertTrue(noCertificate.getMessage().contains("bridge.tls.keyStorePath"), noCertificate.getMessage());
    IllegalArgumentException noTrust = assertThrows(IllegalArgumentException.class,
        () -> new TlsOptions().setEnabled(true).setKeyStorePath("a.p12").check("cluster.tls", true));
    assertTrue(noTrust.getMessage().contains("cluster.tls.trustStorePath"), noTrust.getMessage());
  }

  @Test
  void aPublicKeyIsTakenForRs256OrEs256ByItsKind() {
    assertEquals("RS256", TokenVerifier.algorithmOf(Tokens.publicPem(Tokens.keyPair("RSA"))));
    assertEquals("ES256", TokenVerifier.algorithmOf(Tokens.publicPem(Tokens.keyPair("EC"))));
  }
}
