package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.protocol.FallbackModel;

class StreamOptionsTest {

  @Test
  void optionsSurviveTheirJsonForm() {
    StreamOptions options = new StreamOptions().setModel("deepgram/nova-3").setLanguage("de")
        .setInputSampleRate(48_000).setExtra(new JsonObject().put("punctuate", true))
        .setFallback(List.of(new FallbackModel("assemblyai/universal-streaming", new JsonObject().put("a", 1))));
    JsonObject json = options.toJson();
    assertEquals(json, new StreamOptions(json).toJson());
  }

  @Test
  void unsetChoicesStayOutOfTheJsonSoTheClientsApply() {
    assertEquals(new JsonObject(), new StreamOptions().toJson());
    StreamOptions back = new StreamOptions(new JsonObject());
    assertNull(back.getFallback());
    assertNull(back.getInputSampleRate());
  }

  @Test
  void aFallbackMayBeABareModelStringAndAnEmptyListReplacesTheClients() {
    StreamOptions options = new StreamOptions(new JsonObject()
        .put("fallback", new JsonArray().add("cartesia/ink-whisper")));
    assertEquals("cartesia/ink-whisper", options.getFallback().get(0).model());
    assertTrue(new StreamOptions(new JsonObject().put("fallback", new JsonArray())).getFallback().isEmpty());
  }

  @Test
  void keytermsAndIdentificationTravelAsJsonForTheBusToPassThrough() {
    JsonObject json = new JsonObject().put("keyterms", new JsonArray().add("LiveKit").add(" LiveKit ").add("Vert.x"))
        .put("roomId", "r").put("jobId", "j").put("agentId", "a").put("priority", "high");
    StreamOptions options = new StreamOptions(json);
    assertEquals(List.of("LiveKit", "Vert.x"), options.getKeyterms(), "trimmed, no duplicates");
    assertEquals("r", options.getRoomId());
    assertEquals("high", options.getPriority());
    assertEquals(options.toJson(), new StreamOptions(options.toJson()).toJson());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new StreamOptions().setKeyterms(java.util.Arrays.asList("a", "")));
    assertTrue(e.getMessage().contains("keyterms[1]"), e.getMessage());
  }

  @Test
  void anImpossibleInputRateIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new StreamOptions(new JsonObject().put("inputSampleRate", 10)));
  }
}
