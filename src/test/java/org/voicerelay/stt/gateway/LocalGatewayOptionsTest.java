package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class LocalGatewayOptionsTest {

  @Test
  void defaultsAreLoopbackAnyPortAndTheDevelopmentCredentials() {
    LocalGatewayOptions options = new LocalGatewayOptions();
    assertEquals("127.0.0.1", options.getHost());
    assertEquals(0, options.getPort());
    assertEquals("devkey", options.getApiKey());
    assertEquals("devsecret", options.getApiSecret());
    assertEquals("sphinx4", options.getRecognizer());
    assertEquals("en", options.getLanguage());
  }

  @Test
  void jsonRoundTripKeepsEveryOptionButTheSecret() {
    LocalGatewayOptions options = new LocalGatewayOptions()
        .setHost("0.0.0.0").setPort(7880).setApiKey("k").setApiSecret("s3cr3t")
        .setRecognizer("counting").setRecognizerConfig(new JsonObject().put("interimEveryFrames", 3))
        .setMaxSessions(7).setIdleTimeout(1234).setMaxPendingBytes(5678).setMaxMessageSize(4096)
        .setLanguage("de").setSessionClosedReply(false);
    JsonObject json = options.toJson();
    assertFalse(json.containsKey("apiSecret"));
    LocalGatewayOptions back = new LocalGatewayOptions(json);
    assertEquals(json, back.toJson());
    assertEquals(LocalGatewayOptions.DEFAULT_API_SECRET, back.getApiSecret());
  }

  @Test
  void theSecretIsReadFromJsonButNeverShownByToString() {
    LocalGatewayOptions options = new LocalGatewayOptions(new JsonObject().put("apiSecret", "hunter2-secret"));
    assertEquals("hunter2-secret", options.getApiSecret());
    assertFalse(options.toString().contains("hunter2"));
  }

  @Test
  void theCopyConstructorCopiesTheRecognizerConfigDeeply() {
    LocalGatewayOptions original = new LocalGatewayOptions().setRecognizerConfig(new JsonObject().put("a", 1));
    LocalGatewayOptions copy = new LocalGatewayOptions(original);
    copy.getRecognizerConfig().put("a", 2);
    assertEquals(1, original.getRecognizerConfig().getInteger("a"));
  }

  @Test
  void anUnknownRecognizerIsRefusedWithItsName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LocalGatewayOptions().setRecognizer("whisper"));
    assertTrue(e.getMessage().contains("whisper"));
  }
}
