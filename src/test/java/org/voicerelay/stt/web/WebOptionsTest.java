package org.voicerelay.stt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.config.NodeConfig;

@ExtendWith(VertxExtension.class)
class WebOptionsTest {

  @Test
  void theDefaultsAreOffLoopbackAndTwoSessionsPerConnection() {
    WebOptions options = new WebOptions();
    assertFalse(options.isEnabled());
    assertEquals("127.0.0.1", options.getHost());
    assertEquals(WebOptions.DEFAULT_PORT, options.getPort());
    assertEquals("stt", options.getPrefix());
    assertEquals(2, options.getMaxSessionsPerConnection());
    assertTrue(options.getAllowedOrigins().isEmpty());
  }

  @Test
  void optionsSurviveARoundTripThroughJson() {
    WebOptions options = new WebOptions().setEnabled(true).setHost("0.0.0.0").setPort(8443).setPrefix("voice")
        .setMaxSessionsPerConnection(3).setMaxRequestsPerConnection(16).setOpenTimeoutMs(2_000)
        .setAllowedOrigins(List.of("https://app.example.com"));
    JsonObject json = options.toJson();
    assertEquals(json, new WebOptions(json).toJson());
    assertEquals(json, new WebOptions(options).toJson());
  }

  @Test
  void theEnvironmentTurnsTheEndpointOnAndMovesIt(Vertx vertx, VertxTestContext ctx) {
    NodeConfig.load(vertx, new JsonObject().put("configFile", "conf/config.json"), Map.of("STT_WEB_ENABLED", "true",
        "STT_WEB_HOST", "0.0.0.0", "STT_WEB_PORT", "8081", "STT_WEB_MAX_SESSIONS_PER_CONNECTION", "1"))
        .map(config -> new WebOptions(config.getJsonObject("web")))
        .onComplete(ctx.succeeding(options -> ctx.verify(() -> {
          assertTrue(options.isEnabled());
          assertEquals("0.0.0.0", options.getHost());
          assertEquals(8081, options.getPort());
          assertEquals(1, options.getMaxSessionsPerConnection());
          ctx.completeNow();
        })));
  }

  @Test
  void aPortVariableThatIsNotANumberIsRefusedNamingIt(Vertx vertx, VertxTestContext ctx) {
    NodeConfig.load(vertx, new JsonObject(), Map.of("STT_WEB_PORT", "x"))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertTrue(err.getMessage().contains("STT_WEB_PORT"), err.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  void anInvalidValueIsRefusedNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new WebOptions().setMaxSessionsPerConnection(0));
    assertTrue(e.getMessage().contains("maxSessionsPerConnection"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new WebOptions().setPort(70000));
    assertThrows(IllegalArgumentException.class, () -> new WebOptions().setAllowedOrigins(List.of("app.example.com")));
    assertThrows(IllegalArgumentException.class,
        () -> new WebOptions().setAllowedOrigins(List.of("https://app.example.com/page")));
  }
}
