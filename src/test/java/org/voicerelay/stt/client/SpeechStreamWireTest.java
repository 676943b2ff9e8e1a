package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.protocol.AccessTokenVerifier;
import org.voicerelay.stt.protocol.FallbackModel;

/** What the client puts on the wire, checked by a scripted gateway on loopback. */
class SpeechStreamWireTest extends OnScriptedGateway {

  static byte[] ramp(int bytes) {
    byte[] b = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      b[i] = (byte) (i * 7 + i / 256);
    }
    return b;
  }

  @Test
  void sessionCreateCarriesModelSettingsAndTypesAsTheProtocolSays(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options().setModel("deepgram/nova-3:en")
        .setProviderOptions(new DeepgramOptions().setPunctuate(true).addKeyword("vertx", 2.0))
        .addFallback(FallbackModel.of("assemblyai/universal-streaming")));
    SpeechStream stream = client.stream();
    stream.end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      JsonObject create = gateway.connection(0).frames.get(0);
      assertEquals("session.create", create.getString("type"));
      assertEquals("deepgram/nova-3", create.getString("model"));
      JsonObject settings = create.getJsonObject("settings");
      assertEquals("16000", settings.getValue("sample_rate"), "sample_rate is a string");
      assertEquals("pcm_s16le", settings.getString("encoding"));
      assertEquals("en", settings.getString("language"));
      assertEquals(true, settings.getJsonObject("extra").getBoolean("punctuate"));
      assertEquals(new JsonArray().add(new JsonArray().add("vertx").add(2.0)),
          settings.getJsonObject("extra").getJsonArray("keywords"));
      assertEquals("assemblyai/universal-streaming", create.getJsonObject("fallback")
          .getJsonArray("models").getJsonObject(0).getString("model"));
      assertEquals(new JsonObject(), create.getJsonObject("fallback").getJsonArray("models")
          .getJsonObject(0).getJsonObject("extra"));
      assertEquals(10.0, create.getJsonObject("connection").getDouble("timeout"));
      assertEquals(3, create.getJsonObject("connection").getInteger("retries"));
      assertTrue(gateway.connection(0).path.startsWith("/v1/stt?model=deepgram%2Fnova-3"));
      assertTrue(gateway.connection(0).userAgent.startsWith("vertx-livekit-stt/"));
      ctx.completeNow();
    })));
  }

  @Test
  void aStreamKnowsItsCapabilitiesOverItsFallbacksAndFollowsAModelChange(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options().setModel("deepgram/nova-3")
        .addFallback(FallbackModel.of("inworld/inworld-stt-1")));
    SpeechStream stream = client.stream(new StreamOptions().setFallback(List.of())
        .setExtra(new JsonObject().put("diarize", true)));
    ctx.verify(() -> assertEquals(new ModelCapabilities(true, true, true, false), stream.capabilities()));
    SpeechStream withFallback = client.stream();
    ctx.verify(() -> assertEquals(new ModelCapabilities(false, false, true, false), withFallback.capabilities(),
        "Inworld sends no word timings; no diarization asked for"));
    withFallback.close();
    stream.updateOptions("assemblyai/u3-rt-pro", null, null);
    vertx.setTimer(100, t -> ctx.verify(() -> {
      assertTrue(stream.capabilities().chatContext());
      stream.end().onComplete(ctx.succeedingThenComplete());
    }));
  }

  @Test
  void autoModelAndUnsetLanguageAreLeftOutButExtraIsAlwaysSent(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options().setModel("auto"));
    client.stream().end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      JsonObject create = gateway.connection(0).frames.get(0);
      assertFalse(create.containsKey("model"));
      assertFalse(create.getJsonObject("settings").containsKey("language"));
      assertEquals(new JsonObject(), create.getJsonObject("settings").getJsonObject("extra"));
      assertFalse(create.containsKey("fallback"));
      ctx.completeNow();
    })));
  }

  @Test
  void audioIsSentAsBase64ChunksOfFiftyMillisecondsWhoseBytesAddUpToTheInput(Vertx vertx,
      VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options());
    SpeechStream stream = client.stream();
    byte[] input = ramp(16000 * 2 * 3 / 2 + 202);
    stream.write(Buffer.buffer(java.util.Arrays.copyOfRange(input, 0, 1000)));
    stream.write(Buffer.buffer(java.util.Arrays.copyOfRange(input, 1000, input.length)));
    stream.end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      ScriptedGateway.Connection c = gateway.connection(0);
      List<JsonObject> audio = c.framesOfType("input_audio");
      for (int i = 0; i < audio.size() - 1; i++) {
        assertEquals(1600, Base64.getDecoder().decode(audio.get(i).getString("audio")).length,
            "every chunk but the last is 50 ms at 16 kHz");
        assertEquals(2, audio.get(i).size(), "an audio frame has only type and audio");
      }
      assertEquals(202, Base64.getDecoder().decode(audio.get(audio.size() - 1).getString("audio")).length);
      assertArrayEquals(input, c.audio());
      List<String> types = c.frames.stream().map(f -> f.getString("type")).toList();
      int finalize = types.indexOf("session.finalize");
      assertEquals(types.size() - 2, finalize, "finalize follows the last audio, then close");
      assertEquals("session.close", types.get(types.size() - 1));
      ctx.completeNow();
    })));
  }

  @Test
  void finalizeUtteranceSendsTheShortChunkAndFinalizeAndTheStreamStaysUsable(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options());
    SpeechStream stream = client.stream();
    List<String> finals = finalsOf(stream);
    stream.write(Buffer.buffer(ramp(2000)));
    stream.finalizeUtterance();
    stream.write(Buffer.buffer(ramp(3200)));
    stream.end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      List<String> types = gateway.connection(0).frames.stream().map(f -> f.getString("type")).toList();
      assertEquals(List.of("session.create", "input_audio", "input_audio", "session.finalize",
          "input_audio", "input_audio", "session.finalize", "session.close"), types);
      assertEquals(List.of("heard 2000 bytes", "heard 5200 bytes"), finals);
      ctx.completeNow();
    })));
  }

  @Test
  void flushSendsTheShortChunkWithoutFinalizeAsLiveKitsFlushDoes(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options());
    SpeechStream stream = client.stream();
    List<String> finals = finalsOf(stream);
    stream.write(Buffer.buffer(ramp(2000)));
    stream.flush();
    stream.write(Buffer.buffer(ramp(3200)));
    stream.end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      List<JsonObject> frames = gateway.connection(0).frames;
      assertEquals(List.of("session.create", "input_audio", "input_audio", "input_audio", "input_audio",
          "session.finalize", "session.close"), frames.stream().map(f -> f.getString("type")).toList());
      assertEquals(400, java.util.Base64.getDecoder().decode(frames.get(2).getString("audio")).length,
          "the short last chunk went out at the flush");
      assertEquals(List.of("heard 5200 bytes"), finals, "one final: the flush asked for none");
      ctx.completeNow();
    })));
  }

  @Test
  void updateOptionsSendsSessionUpdateOnTheLiveSocket(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options().setModel("deepgram/nova-3"));
    // on the stream's event loop, so that its session.create cannot reach the gateway before the script is set
    vertx.runOnContext(start -> {
      SpeechStream stream = client.stream();
      gateway.onFrame = (c, f) -> {
        ScriptedGateway.cooperative(c, f);
        if ("session.create".equals(f.getString("type"))) {
          vertx.setTimer(50, t -> client.updateOptions("cartesia/ink-whisper", "fr",
              new JsonObject().put("min_volume", 0.1)));
        }
        if ("session.update".equals(f.getString("type"))) {
          stream.end();
        }
      };
      stream.endHandler(v -> ctx.verify(() -> {
        JsonObject update = gateway.connection(0).framesOfType("session.update").get(0);
        JsonObject settings = update.getJsonObject("settings");
        assertEquals("cartesia/ink-whisper", settings.getString("model"));
        assertEquals("fr", settings.getString("language"));
        assertEquals(0.1, settings.getJsonObject("extra").getDouble("min_volume"));
        assertNull(settings.getValue("sample_rate"));
        assertEquals("cartesia/ink-whisper", client.options().getModel());
        ctx.completeNow();
      }));
    });
  }

  @Test
  void eachConnectionPresentsAFreshTokenThatTheGatewayVerifies(Vertx vertx, VertxTestContext ctx) {
    AccessTokenVerifier verifier = new AccessTokenVerifier(vertx, ScriptedGateway.KEY,
        ScriptedGateway.SECRET);
    SttClient client = SttClient.create(vertx, gateway.options());
    client.stream().end().compose(v -> verifier.verify(gateway.connection(0).authorization))
        .onComplete(ctx.succeeding(claims -> ctx.verify(() -> {
          assertEquals(ScriptedGateway.KEY, claims.getString("iss"));
          assertEquals("agent", claims.getString("sub"));
          assertEquals(600L, claims.getLong("exp") - claims.getLong("nbf"));
          long now = System.currentTimeMillis() / 1000;
          assertTrue(Math.abs(claims.getLong("nbf") - now) < 30);
          assertEquals(new JsonObject().put("perform", true), claims.getJsonObject("inference"));
          ctx.completeNow();
        })));
  }

  @Test
  void aTokenSignedWithAnotherSecretIsRefusedByTheVerifier(Vertx vertx, VertxTestContext ctx) {
    AccessTokenVerifier verifier = new AccessTokenVerifier(vertx, ScriptedGateway.KEY,
        "another-secret-entirely-0123456789abcdef");
    SttClient client = SttClient.create(vertx, gateway.options());
    client.stream().end().compose(v -> verifier.verify(gateway.connection(0).authorization))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertTrue(err.getMessage().startsWith("invalid token"));
          ctx.completeNow();
        })));
  }

  @Test
  void anOddLengthWriteIsRefusedWithInvalidAudio(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options());
    SpeechStream stream = client.stream();
    stream.write(Buffer.buffer(new byte[301])).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertEquals(SttErrorCode.INVALID_AUDIO, ((SttException) err).code());
      assertTrue(err.getMessage().contains("301"));
      stream.close();
      ctx.completeNow();
    })));
  }

  @Test
  void aWriteAfterEndIsRefusedWithStreamClosed(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options());
    SpeechStream stream = client.stream();
    stream.end();
    stream.write(Buffer.buffer(new byte[320])).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertEquals(SttErrorCode.STREAM_CLOSED, ((SttException) err).code());
      ctx.completeNow();
    })));
  }

  @Test
  void recognizeTranscribesAWholeBufferThroughOneSession(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    SttClient client = SttClient.create(vertx, gateway.options());
    client.recognize(Buffer.buffer(ramp(8000)), 16000).onComplete(ctx.succeeding(event -> ctx.verify(() -> {
      assertEquals(SpeechEventType.FINAL_TRANSCRIPT, event.type());
      assertEquals("heard 8000 bytes", event.text());
      assertEquals("gw_0", event.requestId());
      ctx.completeNow();
    })));
    assertTrue(ctx.awaitCompletion(10, TimeUnit.SECONDS));
  }

  /** The text of every final the stream delivers, in order. */
  private static List<String> finalsOf(SpeechStream stream) {
    List<String> finals = new java.util.concurrent.CopyOnWriteArrayList<>();
    stream.handler(e -> {
      if (e.type() == SpeechEventType.FINAL_TRANSCRIPT) {
        finals.add(e.text());
      }
    });
    return finals;
  }
}
