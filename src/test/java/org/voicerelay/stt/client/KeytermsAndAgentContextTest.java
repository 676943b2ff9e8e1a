package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.protocol.FallbackModel;

/** Keyterms merged into the provider's option and held while speaking; agent context for U3 Pro. */
class KeytermsAndAgentContextTest extends OnScriptedGateway {

  private static JsonObject extraOf(JsonObject frame) {
    return frame.getJsonObject("settings").getJsonObject("extra");
  }

  @Test
  void keytermsGoAfterTheCallersOwnWithoutDuplicatesIntoEachModelsOption(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options().setModel("deepgram/nova-3")
        .setProviderOptions(new DeepgramOptions().setKeyterm(List.of("Vert.x", "LiveKit")))
        .addFallback(FallbackModel.of("assemblyai/universal-streaming"))
        .addFallback(new FallbackModel("speechmatics/enhanced", new SpeechmaticsOptions()
            .setAdditionalVocab(new JsonArray().add(new JsonObject().put("content", "Sphinx"))).toJson()))
        .addFallback(FallbackModel.of("xai/stt-1")));
    client.stream(new StreamOptions().setKeyterms(List.of("LiveKit", "Hazelcast"))).end()
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          JsonObject create = gateway.connection(0).frames.get(0);
          assertEquals(new JsonArray().add("Vert.x").add("LiveKit").add("Hazelcast"), extraOf(create).getJsonArray("keyterm"));
          JsonArray fallbacks = create.getJsonObject("fallback").getJsonArray("models");
          assertEquals(new JsonArray().add("LiveKit").add("Hazelcast"),
              fallbacks.getJsonObject(0).getJsonObject("extra").getJsonArray("keyterms_prompt"));
          assertEquals(new JsonArray().add(new JsonObject().put("content", "Sphinx"))
                  .add(new JsonObject().put("content", "LiveKit")).add(new JsonObject().put("content", "Hazelcast")),
              fallbacks.getJsonObject(1).getJsonObject("extra").getJsonArray("additional_vocab"));
          assertEquals(new JsonObject(), fallbacks.getJsonObject(2).getJsonObject("extra"), "xAI takes no keyterms");
          ctx.completeNow();
        })));
  }

  @Test
  void aChangeWhileTheUserSpeaksIsHeldUntilTheEndOfSpeechThenSentWithSessionUpdate(Vertx vertx,
      VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options().setModel("deepgram/flux-general-en")
        .setProviderOptions(new DeepgramFluxOptions().setKeyterm(List.of("own"))));
    SpeechStream stream = client.stream(new StreamOptions().setKeyterms(List.of("first")));
    vertx.setTimer(200, t0 -> {
      ScriptedGateway.Connection c = gateway.connection(0);
      stream.updateKeyterms(List.of("second")).onComplete(ctx.succeeding(v -> vertx.setTimer(100, t1 -> {
        ctx.verify(() -> {
          List<JsonObject> updates = c.framesOfType("session.update");
          assertEquals(1, updates.size(), "not speaking: sent at once");
          assertEquals(new JsonArray().add("own").add("second"), extraOf(updates.get(0)).getJsonArray("keyterm"));
        });
        c.send(new JsonObject().put("type", "start_of_speech"));
        c.send(new JsonObject().put("type", "interim_transcript").put("transcript", "hel"));
        vertx.setTimer(100, t2 -> stream.updateKeyterms(List.of("third", "own")).onComplete(ctx.succeeding(v2 ->
            vertx.setTimer(200, t3 -> {
              ctx.verify(() -> assertEquals(1, c.framesOfType("session.update").size(), "held while speaking"));
              c.send(new JsonObject().put("type", "final_transcript").put("transcript", "hello"));
              vertx.setTimer(200, t4 -> ctx.verify(() -> {
                List<JsonObject> updates = c.framesOfType("session.update");
                assertEquals(2, updates.size(), "sent at the end of speech");
                assertEquals(new JsonArray().add("own").add("third"), extraOf(updates.get(1)).getJsonArray("keyterm"));
                stream.end().onComplete(ctx.succeedingThenComplete());
              }));
            }))));
      })));
    });
  }

  @Test
  void aModelWithoutAKeytermOptionOrChatContextAnswersUnsupported(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options().setModel("cartesia/ink-2"));
    SpeechStream stream = client.stream();
    stream.updateKeyterms(List.of("x")).onComplete(ctx.failing(keytermsRefused -> ctx.verify(() -> {
      assertEquals(SttErrorCode.UNSUPPORTED, ((SttException) keytermsRefused).code());
      assertEquals("unsupported", ((SttException) keytermsRefused).toError().code());
      stream.addAgentContext("How can I help?").onComplete(ctx.failing(contextRefused -> ctx.verify(() -> {
        assertEquals(SttErrorCode.UNSUPPORTED, ((SttException) contextRefused).code());
        assertTrue(contextRefused.getMessage().contains("cartesia/ink-2"), contextRefused.getMessage());
        stream.end().onComplete(ctx.succeedingThenComplete());
      })));
    })));
  }

  @Test
  void speechmaticsKeytermsAreContentObjectsInAdditionalVocabAlsoBesideTheCallersPlainStrings(Vertx vertx,
      VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options().setModel("speechmatics/enhanced")
        .setExtra(new JsonObject().put("additional_vocab", new JsonArray().add("own")))
        .addFallback(FallbackModel.of("speechmatics/standard")));
    client.stream(new StreamOptions().setKeyterms(List.of("LiveKit"))).end()
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          JsonObject create = gateway.connection(0).frames.get(0);
          assertEquals(new JsonArray().add(new JsonObject().put("content", "own")).add(new JsonObject().put("content", "LiveKit")),
              extraOf(create).getJsonArray("additional_vocab"));
          assertEquals(new JsonArray().add(new JsonObject().put("content", "LiveKit")), create.getJsonObject("fallback")
              .getJsonArray("models").getJsonObject(0).getJsonObject("extra").getJsonArray("additional_vocab"));
          ctx.completeNow();
        })));
  }

  @Test
  void aLiveExtraUpdateCarriesTheStreamsKeytermsAfterTheCallersNewOwnTerms(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options().setModel("deepgram/nova-3")
        .setProviderOptions(new DeepgramOptions().setKeyterm(List.of("first own"))));
    SpeechStream stream = client.stream(new StreamOptions().setKeyterms(List.of("LiveKit")));
    whenCreated(vertx, ctx, () -> {
      stream.updateOptions(null, null, new JsonObject().put("smart_format", true));
      stream.updateOptions(null, null, new JsonObject().put("keyterm", new JsonArray().add("new own")));
      stream.updateKeyterms(List.of("Vert.x")).onComplete(ctx.succeeding(v -> until(vertx, ctx, "3 updates",
          () -> gateway.connection(0).framesOfType("session.update").size() == 3, () -> ctx.verify(() -> {
        List<JsonObject> updates = gateway.connection(0).framesOfType("session.update");
        assertEquals(new JsonObject().put("smart_format", true)
            .put("keyterm", new JsonArray().add("first own").add("LiveKit")), extraOf(updates.get(0)));
        assertEquals(new JsonArray().add("new own").add("LiveKit"), extraOf(updates.get(1)).getJsonArray("keyterm"));
        assertEquals(new JsonArray().add("new own").add("Vert.x"), extraOf(updates.get(2)).getJsonArray("keyterm"),
            "a later change removes what an earlier one added and keeps the caller's latest own terms");
        stream.end().onComplete(ctx.succeedingThenComplete());
      }))));
    });
  }

  @Test
  void aLiveExtraUpdateDropsAKeytermChangeHeldUntilTheEndOfSpeech(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options().setModel("deepgram/nova-3"));
    SpeechStream stream = client.stream(new StreamOptions().setKeyterms(List.of("first")));
    java.util.concurrent.atomic.AtomicInteger turns = new java.util.concurrent.atomic.AtomicInteger();
    stream.handler(event -> vertx.runOnContext(after -> { // after the stream has taken the event in
      if (event.type() == SpeechEventType.START_OF_SPEECH && turns.incrementAndGet() == 1) {
        stream.updateKeyterms(List.of("second")).onComplete(ctx.succeeding(v -> {
          stream.updateOptions(null, null, new JsonObject().put("punctuate", true));
          gateway.connection(0).send(new JsonObject().put("type", "final_transcript").put("transcript", "hello"));
        }));
      } else if (event.type() == SpeechEventType.END_OF_SPEECH && turns.get() == 1) {
        stream.end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          List<JsonObject> updates = gateway.connection(0).framesOfType("session.update");
          assertEquals(1, updates.size(), "the extra update carried the held change; nothing is sent at the end of speech");
          assertEquals(new JsonObject().put("punctuate", true).put("keyterm", new JsonArray().add("second")),
              extraOf(updates.get(0)));
          ctx.completeNow();
        })));
      }
    }));
    whenCreated(vertx, ctx, () -> gateway.connection(0).send(new JsonObject().put("type", "start_of_speech")));
  }

  @Test
  void agentContextIsTheLatestReplyOnlyItsLast1750CharactersAndSurvivesAReconnect(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if (c.index == 0 && "session.update".equals(f.getString("type")) && c.framesOfType("session.update").size() == 2) {
        c.socket.close(); // dropped after the second reply: the next session.create carries the context
      } else {
        ScriptedGateway.cooperative(c, f);
      }
    };
    SttClient client = SttClient.create(vertx, gateway.options().setModel("assemblyai/u3-rt-pro"));
    SpeechStream stream = client.stream();
    String first = "a".repeat(1000);
    String second = "b".repeat(250) + "c".repeat(1750);
    whenCreated(vertx, ctx, () -> stream.addAgentContext(first)
        .compose(v -> stream.addAgentContext(second))
        .onComplete(ctx.succeeding(v -> until(vertx, ctx, "the second connection's session.create",
            () -> gateway.connections.size() == 2 && !gateway.connection(1).frames.isEmpty(), () -> ctx.verify(() -> {
          List<JsonObject> updates = gateway.connection(0).framesOfType("session.update");
          assertEquals(new JsonObject().put("agent_context", first), extraOf(updates.get(0)));
          assertEquals("c".repeat(1750), extraOf(updates.get(1)).getString("agent_context"),
              "the latest reply replaces the previous one, cut to its last 1,750 characters");
          assertEquals("c".repeat(1750), extraOf(gateway.connection(1).frames.get(0)).getString("agent_context"),
              "a reconnect carries it in session.create");
          stream.end().onComplete(ctx.succeedingThenComplete());
        })))));
  }
}
