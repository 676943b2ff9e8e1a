package org.voicerelay.stt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.voicerelay.stt.cluster.ClusterOptions;

/** The one precedence: file, deployment config, environment, system properties. */
@ExtendWith(VertxExtension.class)
class NodeConfigTest {

  @Test
  void eachSourceOverridesTheOnesBeforeIt(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, new JsonObject().put("prefix", "file").put("maxSessions", 1).put("idleTimeoutMs", 1)
        .put("node", "file").put("web", new JsonObject().put("host", "10.0.0.1").put("port", 1)).encode());
    JsonObject deployment = new JsonObject().put("configFile", file.toString()).put("maxSessions", 2)
        .put("idleTimeoutMs", 2).put("node", "deployment");
    Map<String, String> env = Map.of("STT_IDLE_TIMEOUT_MS", "3", "STT_NODE", "env", "STT_WEB_PORT", "3");
    System.setProperty("STT_NODE", "sys");
    NodeConfig.load(vertx, deployment, env).onComplete(ar -> System.clearProperty("STT_NODE"))
        .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
      assertEquals("file", config.getString("prefix"));
      assertEquals(2, config.getInteger("maxSessions"));
      assertEquals(3, config.getInteger("idleTimeoutMs"));
      assertEquals("sys", config.getString("node"));
      assertEquals(new JsonObject().put("host", "10.0.0.1").put("port", 3), config.getJsonObject("web"));
      assertFalse(config.containsKey("configFile"));
      ctx.completeNow();
    })));
  }

  @Test
  void theJvmsOwnSystemPropertiesAndUnknownVariablesStayOut(Vertx vertx, VertxTestContext ctx) {
    NodeConfig.load(vertx, new JsonObject(), Map.of("PATH", "/usr/bin", "HOME", "/root"))
        .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
          assertFalse(config.containsKey("java"), config.encode());
          assertFalse(config.containsKey("PATH"));
          assertFalse(config.containsKey("user.dir"));
          ctx.completeNow();
        })));
  }

  @Test
  void variablesAreTypedListsSplitAndBooleansChecked(Vertx vertx, VertxTestContext ctx) {
    NodeConfig.load(vertx, new JsonObject(), Map.of("STT_ALLOWED_EVENTS_PREFIXES", "a., b.,",
        "STT_PROMETHEUS_ENABLED", "TRUE", "STT_MAX_BUFFERED_BYTES", "4096", "LIVEKIT_INFERENCE_URL", "http://gw/v1",
        "STT_FRONT_MAX_REPLAY_BYTES", "32000"))
        .onComplete(ctx.succeeding(config -> ctx.verify(() -> {
          assertEquals(new JsonArray().add("a.").add("b."), config.getJsonArray("allowedEventsPrefixes"));
          assertEquals(true, config.getJsonObject("metrics").getJsonObject("prometheus").getBoolean("enabled"));
          assertEquals(4096, config.getInteger("maxBufferedBytes"));
          assertEquals(32000, config.getInteger("frontMaxReplayBytes"));
          assertEquals("http://gw/v1", config.getJsonObject("client").getString("baseUrl"));
          ctx.completeNow();
        })));
  }

  @Test
  void aBooleanVariableThatIsNeitherTrueNorFalseFailsNamingIt(Vertx vertx, VertxTestContext ctx) {
    NodeConfig.load(vertx, new JsonObject(), Map.of("STT_BRIDGE_ENABLED", "yes"))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertTrue(err.getMessage().contains("STT_BRIDGE_ENABLED"), err.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  void aConfigFileThatIsNotJsonFailsNamingTheFile(Vertx vertx, VertxTestContext ctx, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("broken.json");
    Files.writeString(file, "{\"prefix\": ");
    NodeConfig.load(vertx, new JsonObject(), Map.of("STT_CONFIG_FILE", file.toString()))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertTrue(err.getMessage().contains(file.toString()), err.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  void theClusterVariablesMakeTheClusterOptions(Vertx vertx, VertxTestContext ctx) {
    NodeConfig.load(vertx, new JsonObject(), Map.of("STT_CLUSTER_HOST", "10.1.2.3", "STT_CLUSTER_PORT", "6000",
            "STT_CLUSTER_MEMBERS", "10.1.2.3, 10.1.2.4:6000"))
        .map(config -> new ClusterOptions(config.getJsonObject("cluster")))
        .onComplete(ctx.succeeding(options -> ctx.verify(() -> {
          assertEquals("10.1.2.3", options.getHost());
          assertEquals(6000, options.getPort());
          assertEquals(List.of("10.1.2.3", "10.1.2.4:6000"), options.getMembers());
          ctx.completeNow();
        })));
  }
}
