package org.voicerelay.stt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class GatewayMainTest {

  @Test
  void flagsWinOverTheEnvironmentWhichWinsOverTheFile(Vertx vertx, VertxTestContext ctx, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("gateway.json");
    Files.writeString(file, new JsonObject().put("port", 1111).put("language", "de").put("maxSessions", 5).encode());
    GatewayMain.CommandLine line = GatewayMain.parse(new String[] {"--config", file.toString(), "--max-sessions", "7"});
    GatewayMain.options(vertx, line, Map.of("STT_GATEWAY_PORT", "2222", "STT_GATEWAY_RECOGNIZER", "counting"))
        .onComplete(ctx.succeeding(options -> ctx.verify(() -> {
          assertEquals(2222, options.getPort());
          assertEquals("counting", options.getRecognizer());
          assertEquals("de", options.getLanguage());
          assertEquals(7, options.getMaxSessions());
          ctx.completeNow();
        })));
  }

  @Test
  void theInferenceCredentialsWinOverThePlainLiveKitOnes(Vertx vertx, VertxTestContext ctx) {
    GatewayMain.options(vertx, GatewayMain.parse(new String[0]), Map.of("LIVEKIT_API_KEY", "plain",
            "LIVEKIT_INFERENCE_API_KEY", "inference", "LIVEKIT_API_SECRET", "plain-secret"))
        .onComplete(ctx.succeeding(options -> ctx.verify(() -> {
          assertEquals("inference", options.getApiKey());
          assertEquals("plain-secret", options.getApiSecret());
          ctx.completeNow();
        })));
  }

  @Test
  void anUnknownOptionIsNamedBeforeAnyValueIsAskedFor() {
    assertEquals("unknown option --verbose", assertThrows(GatewayMain.UsageException.class,
        () -> GatewayMain.parse(new String[] {"--verbose"})).getMessage());
    assertEquals("unknown option --verbose", assertThrows(GatewayMain.UsageException.class,
        () -> GatewayMain.parse(new String[] {"--port=0", "--verbose=yes"})).getMessage());
    assertEquals("--port needs a value", assertThrows(GatewayMain.UsageException.class,
        () -> GatewayMain.parse(new String[] {"--port"})).getMessage());
  }

  @Test
  void aMissingConfigFileIsAUsageErrorNamingIt(Vertx vertx, VertxTestContext ctx) {
    GatewayMain.options(vertx, GatewayMain.parse(new String[] {"--config", "no/such/gateway.json"}), Map.of())
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertInstanceOf(GatewayMain.UsageException.class, err);
          assertTrue(err.getMessage().contains("no/such/gateway.json"), err.getMessage());
          ctx.completeNow();
        })));
  }
}
