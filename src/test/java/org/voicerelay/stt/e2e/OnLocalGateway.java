package org.voicerelay.stt.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.SphinxForTheFork;

/**
 * The real local gateway with the real Sphinx4 engine, started once for a test class, and client
 * options for it. Two classes use it so that the two surefire forks can share their recordings.
 */
abstract class OnLocalGateway {

  static final String SECRET = "e2e-secret-0123456789abcdef0123456789";
  static Vertx vertx;
  static int port;
  static Map<String, Object> references;

  @BeforeAll
  static void startGateway() throws Exception {
    vertx = Vertx.vertx();
    SphinxForTheFork.keep(vertx);
    LocalGatewayVerticle gateway = new LocalGatewayVerticle(new LocalGatewayOptions()
        .setApiKey("e2e").setApiSecret(SECRET));
    vertx.deployVerticle(gateway).await(120, TimeUnit.SECONDS);
    port = gateway.actualPort();
    references = new JsonObject(Files.readString(Path.of("scripts/samples/transcripts.json"))).getMap();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  static SttOptions options(String secret) {
    return new SttOptions().setBaseUrl("http://127.0.0.1:" + port + "/v1").setApiKey("e2e")
        .setApiSecret(secret).setModel("deepgram/nova-3").setLanguage("en")
        // the engine decodes slower than real time on a loaded machine: the default 30 s wait for
        // the last final after the input ended cut the long recording's last sentence there
        .setFinalizationTimeoutMs(120_000);
  }
}
