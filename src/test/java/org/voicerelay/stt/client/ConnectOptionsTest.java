package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConnectOptionsTest {

  @Test
  void optionsSurviveTheirJsonForm() {
    ConnectOptions options = new ConnectOptions().setTimeoutMs(3_000).setMaxRetry(5).setInitialDelayMs(50)
        .setMaxDelayMs(4_000).setMultiplier(2.5).setHealthyAfterMs(7_000).setReconnectWindowMs(3_000)
        .setPingIntervalMs(500).setLivenessTimeoutMs(1_500);
    JsonObject json = options.toJson();
    assertEquals(json, new ConnectOptions(json).toJson());
    assertEquals(2.5, new ConnectOptions(json).getMultiplier());
  }

  @Test
  void theDefaultsRideOutATenSecondOutageAndNoticeASilentGatewayWithinTenSeconds() {
    ConnectOptions options = new ConnectOptions();
    assertEquals(10_000, options.getReconnectWindowMs());
    assertEquals(2_000, options.getPingIntervalMs());
    assertEquals(8_000, options.getLivenessTimeoutMs());
  }

  @Test
  void aValueOfTheWrongTypeIsRefusedWithItsName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ConnectOptions(new JsonObject().put("maxRetry", "three")));
    assertTrue(e.getMessage().contains("connectOptions.maxRetry"), e.getMessage());
  }

  @Test
  void anOutOfRangeValueIsRefusedWithItsName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ConnectOptions(new JsonObject().put("multiplier", 0.5)));
    assertTrue(e.getMessage().contains("connectOptions.multiplier"), e.getMessage());
  }
}
