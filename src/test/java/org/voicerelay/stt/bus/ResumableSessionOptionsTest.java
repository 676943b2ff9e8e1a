package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ResumableSessionOptionsTest {

  @Test
  void everyOptionSurvivesAJsonRoundTrip() {
    ResumableSessionOptions options = new ResumableSessionOptions().setPrefix("app.stt")
        .setOpen(new JsonObject().put("language", "en")).setSampleRate(8_000).setEventsAddress("app.events")
        .setWindow(2).setSendTimeoutMs(3_000).setMaxReplayBytes(64_000).setOpenAttempts(3).setReopenDelayMs(100);
    JsonObject json = options.toJson();
    assertEquals(new JsonObject().put("prefix", "app.stt").put("open", new JsonObject().put("language", "en"))
        .put("sampleRate", 8_000).put("eventsAddress", "app.events").put("window", 2).put("sendTimeoutMs", 3_000L)
        .put("maxReplayBytes", 64_000).put("openAttempts", 3).put("reopenDelayMs", 100L), json);
    assertEquals(json, new ResumableSessionOptions(json).toJson());
  }

  @Test
  void theDefaultsLeaveTheEventsAddressOutAndTheJsonDoesNotShareTheOpenRequest() {
    ResumableSessionOptions options = new ResumableSessionOptions();
    JsonObject json = options.toJson();
    assertFalse(json.containsKey("eventsAddress"));
    json.getJsonObject("open").put("model", "changed");
    assertTrue(options.getOpen().isEmpty());
  }

  @Test
  void outOfRangeAndWrongTypedValuesAreRefusedNamingTheOption() {
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> new ResumableSessionOptions(new JsonObject().put("window", 0)));
    assertTrue(range.getMessage().contains("window"), range.getMessage());
    IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
        () -> new ResumableSessionOptions(new JsonObject().put("sampleRate", "16000")));
    assertTrue(type.getMessage().contains("sampleRate"), type.getMessage());
  }
}
