package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.voicerelay.stt.config.NodeConfig;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;

/** Options and their layers: file, deployment config, environment; secrets never shown. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SttVerticleConfigTest {

  @Test
  void theApiSecretIsNeverInToJsonOrToString() {
    SttVerticleOptions options = new SttVerticleOptions(new JsonObject()
        .put("client", new JsonObject().put("apiKey", "key").put("apiSecret", "s3cr3t-value")));
    assertEquals("s3cr3t-value", options.getClient().getApiSecret());
    assertFalse(options.toJson().encode().contains("s3cr3t-value"));
    assertFalse(options.toString().contains("s3cr3t-value"));
  }

  @Test
  void optionsSurviveTheirJsonForm() {
    SttVerticleOptions options = new SttVerticleOptions().setPrefix("voice").setMaxSessions(7)
        .setIdleTimeoutMs(1234).setAllowedEventsPrefixes(List.of("calls."))
        .setMetrics(new MetricsOptions().setPrometheus(new PrometheusOptions().setEnabled(true).setPort(9999)))
        .setAdmission(new AdmissionOptions().setMaxAdmissionsPerSecond(3)).setBridge(new TcpBridgeOptions().setEnabled(true).setPort(7001)).setNode("n1");
    assertEquals(options.toJson(), new SttVerticleOptions(options.toJson()).toJson());
  }

  @Test
  void theFrontReplayLimitSurvivesItsJsonFormAndIsSixtySecondsWhenAbsent() {
    assertEquals(60 * 16_000 * 2,
        new SttVerticleOptions(new JsonObject()).getFrontMaxReplayBytes());
    SttVerticleOptions options = new SttVerticleOptions().setFrontMaxReplayBytes(32_000);
    assertEquals(32_000, options.toJson().getInteger("frontMaxReplayBytes"));
    assertEquals(32_000, new SttVerticleOptions(options.toJson()).getFrontMaxReplayBytes());
  }

  @Test
  void aNegativeFrontReplayLimitIsRefusedWithItsKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SttVerticleOptions(new JsonObject().put("frontMaxReplayBytes", -1)));
    assertEquals("frontMaxReplayBytes must be >= 0, got -1", e.getMessage());
  }

  @Test
  void anOutOfRangeValueIsRefusedWithTheOptionsName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SttVerticleOptions(new JsonObject().put("maxSessions", 0)));
    assertTrue(e.getMessage().contains("maxSessions"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SttVerticleOptions().setPrefix("stt."));
  }

  @Test
  void aValueOfTheWrongJsonTypeIsRefusedWithItsPath() {
    IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
        () -> new SttVerticleOptions(new JsonObject().put("maxSessions", "50")));
    assertEquals("maxSessions must be a number, got \"50\"", flat.getMessage());
    IllegalArgumentException admission = assertThrows(IllegalArgumentException.class,
        () -> new SttVerticleOptions(new JsonObject().put("admission", new JsonObject().put("maxAdmissionsPerSecond", "50"))));
    assertEquals("admission.maxAdmissionsPerSecond must be a number, got \"50\"", admission.getMessage());
    IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
        () -> new SttVerticleOptions(new JsonObject().put("bridge", new JsonObject().put("port", "7001"))));
    assertEquals("bridge.port must be a number, got \"7001\"", nested.getMessage());
    IllegalArgumentException client = assertThrows(IllegalArgumentException.class,
        () -> new SttVerticleOptions(new JsonObject().put("client", new JsonObject().put("sampleRate", true))));
    assertTrue(client.getMessage().startsWith("client.sampleRate must be a number"), client.getMessage());
  }

  @Test
  void theEventsPrefixesAreCheckedAgainstThePrefixWhateverTheOrderOfTheKeys() {
    JsonObject json = new JsonObject().put("allowedEventsPrefixes", new JsonArray().add("stt.calls."))
        .put("prefix", "voice").put("metrics", new JsonObject().put("prometheus", new JsonObject().put("port", 9200)));
    SttVerticleOptions options = new SttVerticleOptions(json);
    assertEquals("voice", options.getPrefix());
    assertEquals(List.of("stt.calls."), options.getAllowedEventsPrefixes());
    assertEquals(9200, options.getMetrics().getPrometheus().getPort());
    assertTrue(options.getMetrics().isEnabled());
  }

  @Test
  void theEnvironmentOverridesTheDeploymentConfigWhichOverridesTheFile(Vertx vertx, VertxTestContext ctx,
      @TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, new JsonObject().put("prefix", "fromfile").put("maxSessions", 5)
        .put("idleTimeoutMs", 111).put("client", new JsonObject().put("language", "de")).encode());
    JsonObject deployment = new JsonObject().put("configFile", file.toString()).put("maxSessions", 6)
        .put("client", new JsonObject().put("model", "deepgram/nova-3"));
    Map<String, String> env = Map.of("STT_IDLE_TIMEOUT_MS", "222", "STT_ALLOWED_EVENTS_PREFIXES", "a., b.",
        "LIVEKIT_INFERENCE_URL", "http://gateway.example/v1", "STT_PROMETHEUS_ENABLED", "true");
    NodeConfig.load(vertx, deployment, env).map(SttVerticleOptions::new).onComplete(ctx.succeeding(options -> ctx.verify(() -> {
      assertEquals("fromfile", options.getPrefix());
      assertEquals(6, options.getMaxSessions());
      assertEquals(222, options.getIdleTimeoutMs());
      assertEquals(List.of("a.", "b."), options.getAllowedEventsPrefixes());
      assertEquals("de", options.getClient().getLanguage());
      assertEquals("deepgram/nova-3", options.getClient().getModel());
      assertEquals("http://gateway.example/v1", options.getClient().getBaseUrl());
      assertTrue(options.getMetrics().getPrometheus().isEnabled());
      ctx.completeNow();
    })));
  }

  @Test
  void aMissingExplicitConfigFileFailsTheDeployment(Vertx vertx, VertxTestContext ctx) {
    vertx.deployVerticle(SttVerticle.class.getName(), new DeploymentOptions()
            .setConfig(new JsonObject().put("configFile", "no/such/config.json")))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertTrue(err.getMessage().contains("no/such/config.json"), err.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  void deployedByClassNameItReadsConfJsonAndTheDeploymentConfig(Vertx vertx, VertxTestContext ctx) {
    LocalGatewayVerticle gateway = Fixtures.countingGateway();
    vertx.deployVerticle(gateway)
        .compose(id -> vertx.deployVerticle(SttVerticle.class.getName(), new DeploymentOptions().setConfig(
            new JsonObject().put("prefix", "byname").put("allowedEventsPrefixes", new JsonArray().add("x."))
                .put("shutdownTimeoutMs", 500)
                .put("client", Fixtures.clientOptions(gateway.actualPort()).toJson()
                    .put("apiSecret", Fixtures.API_SECRET)))))
        .compose(id -> vertx.eventBus().<JsonObject>request("byname.open", new JsonObject().put("eventsAddress", "x.y")))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertTrue(reply.body().getString("audioAddress").startsWith("byname.session."));
          ctx.completeNow();
        })));
  }
}
