package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.EnglishCountingRecognizer;
import org.voicerelay.stt.gateway.engine.RecognitionRequest;

/** What the local gateway honours of the provider options LiveKit's typed families send. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class LocalGatewayProviderSettingsTest {

  private final EnglishCountingRecognizer engine = new EnglishCountingRecognizer();

  private Future<Integer> deploy(Vertx vertx) {
    LocalGatewayVerticle gateway = new LocalGatewayVerticle(GatewayTestSocket.countingOptions(), engine);
    return vertx.deployVerticle(gateway).map(id -> gateway.actualPort());
  }

  private static JsonObject create(String language, JsonObject extra) {
    JsonObject settings = new JsonObject().put("sample_rate", "16000").put("encoding", "pcm_s16le").put("extra", extra);
    if (language != null) {
      settings.put("language", language);
    }
    return new JsonObject().put("type", "session.create").put("model", "deepgram/nova-3").put("settings", settings);
  }

  /** Sends 30 frames and a finalize; completes with every frame up to session.finalized. */
  private static Future<List<JsonObject>> talk(GatewayTestSocket s) {
    for (int i = 0; i < 30; i++) {
      s.sendAudio(new byte[1600]);
    }
    s.sendType("session.finalize");
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    return collectUntilFinalized(s, frames);
  }

  private static Future<List<JsonObject>> collectUntilFinalized(GatewayTestSocket s, List<JsonObject> frames) {
    return s.next().compose(frame -> {
      frames.add(frame);
      return "session.finalized".equals(frame.getString("type")) ? Future.succeededFuture(frames)
          : collectUntilFinalized(s, frames);
    });
  }

  private static long count(List<JsonObject> frames, String type) {
    return frames.stream().filter(f -> type.equals(f.getString("type"))).count();
  }

  @Test
  void interimResultsFalseMeansNoInterimTranscriptsAndAnUpdateTurnsThemBackOn(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx).compose(port -> GatewayTestSocket.connect(vertx, port))
        .compose(s -> s.send(create("en", new JsonObject().put("interim_results", false))).next()
            .compose(created -> talk(s))
            .compose(quiet -> {
              ctx.verify(() -> {
                assertEquals(0, count(quiet, "interim_transcript"), "interim_results: false");
                assertEquals(1, count(quiet, "final_transcript"));
              });
              s.send(new JsonObject().put("type", "session.update").put("settings", new JsonObject()
                  .put("extra", new JsonObject().put("interim_results", true))));
              return talk(s);
            })
            .onComplete(ctx.succeeding(chatty -> ctx.verify(() -> {
              assertEquals(6, count(chatty, "interim_transcript"), "one every 5 of 30 frames");
              ctx.completeNow();
            }))));
  }

  @Test
  void aLanguageTheEngineCannotRecogniseIsAnErrorNamingItAndTheSessionIsNotCreated(Vertx vertx,
      VertxTestContext ctx) {
    deploy(vertx).compose(port -> GatewayTestSocket.connect(vertx, port))
        .compose(s -> s.send(create("fr", new JsonObject())).next().compose(refused -> {
          ctx.verify(() -> {
            assertEquals("error", refused.getString("type"));
            assertEquals(GatewayErrorCode.UNSUPPORTED_LANGUAGE, refused.getInteger("code"));
            assertTrue(refused.getString("message").contains("fr"), refused.getString("message"));
            assertTrue(refused.getString("message").contains("English only"), refused.getString("message"));
            assertTrue(engine.requests.isEmpty(), "no recognition opened");
          });
          return s.send(create("en-GB", new JsonObject())).next();
        }).compose(created -> {
          ctx.verify(() -> assertEquals("session.created", created.getString("type"), "not fatal: try again"));
          s.send(new JsonObject().put("type", "session.update").put("settings", new JsonObject().put("language", "de")));
          return s.next();
        })).onComplete(ctx.succeeding(updateRefused -> ctx.verify(() -> {
          assertEquals(GatewayErrorCode.UNSUPPORTED_LANGUAGE, updateRefused.getInteger("code"));
          assertTrue(updateRefused.getString("message").contains("de"));
          ctx.completeNow();
        })));
  }

  @Test
  void endpointingEotTimeoutAndMaxTurnSilenceSetTheEndOfUtteranceSilenceAndKeytermsAreAccepted(Vertx vertx,
      VertxTestContext ctx) {
    deploy(vertx).compose(port -> GatewayTestSocket.connect(vertx, port))
        .compose(s -> s.send(create("en", new JsonObject().put("endpointing", 300)
                .put("keyterm", new JsonArray().add("Vert.x").add("LiveKit"))
                .put("additional_vocab", new JsonArray().add(new JsonObject().put("content", "Sphinx")).add("LiveKit"))))
            .next().compose(created -> {
              s.send(new JsonObject().put("type", "session.update").put("settings", new JsonObject()
                  .put("extra", new JsonObject().put("endpointing", (Object) null).put("max_turn_silence", 900))));
              return talk(s);
            }))
        .onComplete(ctx.succeeding(frames -> ctx.verify(() -> {
          assertEquals(0, count(frames, "error"), "keyterms and silences are accepted");
          RecognitionRequest opened = engine.requests.get(0);
          assertEquals(300, opened.endOfUtteranceSilenceMs());
          assertEquals(List.of("Vert.x", "LiveKit", "Sphinx"), opened.keyterms());
          RecognitionRequest updated = engine.requests.get(1);
          assertEquals(900, updated.endOfUtteranceSilenceMs(), "the update's max_turn_silence");
          assertEquals(List.of("Vert.x", "LiveKit", "Sphinx"), updated.keyterms(), "extra is merged, not replaced");
          ctx.completeNow();
        })));
  }

  @Test
  void eachFamilysSilenceOptionIsReadInMillisecondsAndKeptWithinBounds() {
    assertEquals(700, ProviderSettings.of(Map.of("eot_timeout_ms", 700)).endOfUtteranceSilenceMs());
    assertEquals(1200, ProviderSettings.of(Map.of("max_turn_silence", 1200)).endOfUtteranceSilenceMs());
    assertEquals(ProviderSettings.MIN_SILENCE_MS, ProviderSettings.of(Map.of("endpointing", 0)).endOfUtteranceSilenceMs());
    assertEquals(ProviderSettings.MAX_SILENCE_MS,
        ProviderSettings.of(Map.of("endpointing", 3_600_000)).endOfUtteranceSilenceMs());
    assertNull(ProviderSettings.of(Map.of("endpointing", false)).endOfUtteranceSilenceMs(), "Deepgram's off switch");
    assertTrue(ProviderSettings.of(Map.of()).interimResults());
    assertFalse(ProviderSettings.of(Map.of("interim_results", false)).interimResults());
  }
}
