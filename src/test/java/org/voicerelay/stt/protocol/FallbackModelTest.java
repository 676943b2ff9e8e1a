package org.voicerelay.stt.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class FallbackModelTest {

  @Test
  void aFallbackGoesOnTheWireAsModelAndExtra() {
    FallbackModel model = new FallbackModel("deepgram/nova-3", new JsonObject().put("punctuate", true));
    JsonObject frame = new JsonObject(ProtocolCodec.encode(new SessionCreate("assemblyai/universal-streaming",
        null, new SessionCreate.Fallback(List.of(model, FallbackModel.of("cartesia/ink-whisper"))), null)));
    assertEquals(new JsonArray()
            .add(new JsonObject().put("model", "deepgram/nova-3").put("extra", new JsonObject().put("punctuate", true)))
            .add(new JsonObject().put("model", "cartesia/ink-whisper").put("extra", new JsonObject())),
        frame.getJsonObject("fallback").getJsonArray("models"));
  }

  @Test
  void aBusOrConfigEntryIsReadFromABareNameOrAnObjectAndWrittenBackAlike() {
    JsonObject entry = new JsonObject().put("model", "deepgram/nova-3").put("extra", new JsonObject().put("a", 1));
    assertEquals(entry, FallbackModel.fromJson(entry).toJson());
    assertEquals(FallbackModel.of("deepgram/nova-3"), FallbackModel.fromJson("deepgram/nova-3"));
  }

  @Test
  void anEmptyModelOrAnEntryOfAnotherTypeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> FallbackModel.of(" "));
    assertThrows(IllegalArgumentException.class, () -> FallbackModel.fromJson(42));
  }

  @Test
  void theCallersExtraIsCopiedSoLaterChangesDoNotReachTheModel() {
    JsonObject extra = new JsonObject().put("punctuate", true);
    FallbackModel model = new FallbackModel("deepgram/nova-3", extra);
    extra.put("punctuate", false);
    assertEquals(true, model.extra().getBoolean("punctuate"));
  }
}
