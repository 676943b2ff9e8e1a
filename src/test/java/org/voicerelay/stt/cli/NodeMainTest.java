package org.voicerelay.stt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.Test;

/** The node's settings: its configuration's sections, then the flags. */
class NodeMainTest {

  private static final JsonObject CONFIG = new JsonObject()
      .put("node", "n1")
      .put("cluster", new JsonObject().put("host", "10.0.0.5").put("port", 6001))
      .put("web", new JsonObject().put("enabled", true).put("port", 7081))
      .put("gateway", new JsonObject().put("enabled", true).put("recognizer", "counting").put("port", 7900))
      .put("bridge", new JsonObject().put("host", "0.0.0.0"));

  @Test
  void theConfigurationsSectionsBecomeTheSettings() {
    NodeMain.Settings settings = NodeMain.parse(new String[0], CONFIG);
    assertEquals("n1", settings.node());
    assertEquals("10.0.0.5", settings.cluster().getHost());
    assertEquals(6001, settings.cluster().getPort());
    assertTrue(settings.web().isEnabled());
    assertEquals(7081, settings.web().getPort());
    assertTrue(settings.gateway());
    assertEquals("counting", settings.gatewayOptions().getRecognizer());
    assertEquals(7900, settings.gatewayOptions().getPort());
    assertEquals("0.0.0.0", settings.bridgeHost());
  }

  @Test
  void flagsWinOverTheConfiguration() {
    NodeMain.Settings settings = NodeMain.parse(new String[] {"--port", "6002", "--web-port", "7082",
        "--engine", "sphinx4", "--gateway-port", "7901", "--node", "n2"}, CONFIG);
    assertEquals(6002, settings.cluster().getPort());
    assertEquals(7082, settings.web().getPort());
    assertEquals("sphinx4", settings.gatewayOptions().getRecognizer());
    assertEquals(7901, settings.gatewayOptions().getPort());
    assertEquals("n2", settings.node());
  }

  @Test
  void anEmptyConfigurationGivesTheLoopbackDefaultsWithoutGatewayOrPage() {
    NodeMain.Settings settings = NodeMain.parse(new String[0], new JsonObject());
    assertEquals("127.0.0.1", settings.cluster().getHost());
    assertFalse(settings.gateway());
    assertFalse(settings.web().isEnabled());
  }

  @Test
  void withPrometheusOnTheNodesVertxGetsMicrometerWithAPrometheusRegistryAndWithoutItNone() {
    JsonObject on = new JsonObject().put("metrics", new JsonObject().put("prometheus", new JsonObject().put("enabled", true)));
    MetricsOptions metrics = NodeMain.parse(new String[0], on).vertx().getMetricsOptions();
    assertTrue(metrics instanceof MicrometerMetricsOptions micrometer && micrometer.isEnabled()
        && micrometer.getPrometheusOptions().isEnabled(), String.valueOf(metrics));
    assertFalse(NodeMain.parse(new String[0], new JsonObject()).vertx().getMetricsOptions().isEnabled());
    JsonObject metricsOff = on.copy();
    metricsOff.getJsonObject("metrics").put("enabled", false);
    assertFalse(NodeMain.parse(new String[0], metricsOff).vertx().getMetricsOptions().isEnabled());
  }

  @Test
  void anUnknownEngineIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NodeMain.parse(new String[] {"--engine", "whisper"}, new JsonObject()));
    assertTrue(e.getMessage().contains("whisper"), e.getMessage());
  }
}
