package org.voicerelay.stt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.web.WebOptions;

/** Options refuse a value of the wrong JSON type instead of silently keeping the default. */
class JsonTypesTest {

  @Test
  void aNumberWrittenAsTextIsRefusedNamingTheOptionAndTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new WebOptions(new JsonObject().put("port", "7080")));
    assertEquals("web.port must be a number, got \"7080\"", e.getMessage());
  }

  @Test
  void everyConvertedOptionsClassChecksItsInput() {
    assertThrows(IllegalArgumentException.class,
        () -> new LocalGatewayOptions(new JsonObject().put("sessionClosedReply", "no")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SttOptions(new JsonObject().put("extra", "loud")));
    assertTrue(e.getMessage().startsWith("client.extra must be an object"), e.getMessage());
  }

  @Test
  void valuesOfTheRightTypeAndKeysWithoutADefaultPass() {
    JsonObject json = new JsonObject().put("port", 8080L).put("unknown", "x");
    assertEquals(json, JsonTypes.checked(json, new WebOptions().toJson(), "web."));
    assertEquals("deepgram/nova-3", new SttOptions(new JsonObject().put("model", "deepgram/nova-3")).getModel());
  }
}
