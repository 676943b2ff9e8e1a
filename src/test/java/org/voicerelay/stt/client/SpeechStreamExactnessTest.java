package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The protocol to the last message: close, a model's language suffix, long recordings. */
class SpeechStreamExactnessTest extends OnScriptedGateway {

  @Test
  void closeSendsSessionCloseAsItsLastFrameAndDoesNotWaitForTheAnswer(Vertx vertx, VertxTestContext ctx) {
    SpeechStream[] stream = new SpeechStream[1];
    gateway.onFrame = (c, f) -> {
      switch (f.getString("type")) {
        case "session.create" -> {
          c.send(new JsonObject().put("type", "session.created"));
          vertx.setTimer(50, t -> stream[0].close().onComplete(ctx.succeeding(v ->
              ctx.verify(() -> assertEquals(StreamState.CLOSED, stream[0].state())))));
        }
        case "session.close" -> ctx.verify(() -> {
          List<String> types = c.frames.stream().map(x -> x.getString("type")).toList();
          assertEquals("session.close", types.get(types.size() - 1), types.toString());
          ctx.completeNow();
        });
        default -> {
        }
      }
    };
    // on the stream's event loop, so that the gateway's timer cannot find stream[0] still unset
    vertx.runOnContext(start -> {
      stream[0] = SttClient.create(vertx, gateway.options()).stream();
      stream[0].write(Buffer.buffer(new byte[3200]));
    });
  }

  @Test
  void aLanguageSuffixOnTheModelOfAnUpdateSwitchesTheLanguageThatWasSet(Vertx vertx, VertxTestContext ctx) {
    SttClient client = SttClient.create(vertx, gateway.options().setModel("deepgram/nova-3").setLanguage("en"));
    gateway.onFrame = (c, f) -> {
      ScriptedGateway.cooperative(c, f);
      if ("session.create".equals(f.getString("type"))) {
        client.updateOptions("deepgram/nova-3:es", null, null);
      }
      if ("session.update".equals(f.getString("type"))) {
        ctx.verify(() -> {
          JsonObject settings = f.getJsonObject("settings");
          assertEquals("deepgram/nova-3", settings.getString("model"));
          assertEquals("es", settings.getString("language"));
          assertEquals("es", client.options().getLanguage(), "new streams too");
          assertEquals("deepgram/nova-3", client.options().getModel());
          client.close();
          ctx.completeNow();
        });
      }
    };
    client.stream();
  }

  @Test
  void recognizeStreamsARecordingFiveTimesTheBufferLimitUnderBackPressure(Vertx vertx, VertxTestContext ctx) {
    int limit = 64_000; // 2 s at 16 kHz
    SttOptions options = gateway.options().setMaxBufferedBytes(limit).setWriteQueueMaxSize(16_000);
    byte[] recording = new byte[5 * limit];
    for (int i = 0; i < recording.length; i++) {
      recording[i] = (byte) (i * 7);
    }
    SttClient.create(vertx, options).recognize(Buffer.buffer(recording), 16000)
        .onComplete(ctx.succeeding(event -> ctx.verify(() -> {
          assertEquals("heard " + recording.length + " bytes", event.text());
          assertTrue(java.util.Arrays.equals(recording, gateway.connection(0).audio()), "every byte, in order");
          ctx.completeNow();
        })));
  }
}
