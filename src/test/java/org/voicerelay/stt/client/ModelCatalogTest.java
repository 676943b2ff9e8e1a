package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.protocol.FallbackModel;

/** Which family a model string belongs to, and what its model can do. */
class ModelCatalogTest {

  @Test
  void theModelStringPicksTheFamilyAndAnyOtherModelOfAProviderIsStillAccepted() {
    assertEquals(ModelFamily.DEEPGRAM, ModelFamily.of("deepgram/nova-3:en"));
    assertEquals(ModelFamily.DEEPGRAM, ModelFamily.of("deepgram/nova-2-phonecall"));
    assertEquals(ModelFamily.DEEPGRAM_FLUX, ModelFamily.of("deepgram/flux-general-multi"));
    assertEquals(ModelFamily.CARTESIA, ModelFamily.of("cartesia/ink-2"));
    assertEquals(ModelFamily.ASSEMBLYAI, ModelFamily.of("assemblyai/u3-rt-pro"));
    assertEquals(ModelFamily.ELEVENLABS, ModelFamily.of("elevenlabs/scribe_v2_realtime"));
    assertEquals(ModelFamily.XAI, ModelFamily.of("xai/stt-1"));
    assertEquals(ModelFamily.SPEECHMATICS, ModelFamily.of("speechmatics/enhanced"));
    assertEquals(ModelFamily.INWORLD, ModelFamily.of("inworld/inworld-stt-1"));
    assertEquals(ModelFamily.DEEPGRAM, ModelFamily.of("deepgram/nova-4-future"), "unknown name, known provider");
    assertNull(ModelFamily.of("auto"));
    assertNull(ModelFamily.of(null));
    assertNull(ModelFamily.of("someone/else"));
    ModelInfo future = ModelCatalog.describe("deepgram/nova-4-future");
    assertFalse(future.known());
    assertEquals(ModelFamily.DEEPGRAM, future.family());
  }

  @Test
  void theCatalogListsEveryModelLiveKitTypes() {
    List<String> names = ModelCatalog.knownModels().stream().map(ModelInfo::model).toList();
    assertEquals(20, names.size(), "6 Nova, 3 Flux, 2 Cartesia, 4 AssemblyAI, 1 ElevenLabs, 1 xAI, 2 Speechmatics, 1 Inworld");
    assertTrue(names.containsAll(Set.of("deepgram/nova-3", "deepgram/flux-general-en", "cartesia/ink-whisper",
        "assemblyai/universal-3-5-pro", "elevenlabs/scribe_v2_realtime", "xai/stt-1", "speechmatics/standard",
        "inworld/inworld-stt-1")));
    assertTrue(ModelCatalog.knownModels().stream().allMatch(ModelInfo::known));
    assertEquals(List.of("en"), ModelCatalog.describe("deepgram/flux-general-en").languages());
  }

  @Test
  void capabilitiesFollowTheModelAsLiveKitDecidesThem() {
    assertEquals(new ModelCapabilities(true, false, true, false), ModelCatalog.describe("deepgram/nova-3:en").capabilities());
    assertTrue(ModelCatalog.describe("deepgram/nova-2").capabilities().keyterms(), "LiveKit fills keyterm for every Deepgram model");
    assertFalse(ModelCatalog.describe("cartesia/ink-2").capabilities().keyterms(), "nor for Cartesia");
    assertTrue(ModelCatalog.describe("speechmatics/enhanced").capabilities().keyterms(), "additional_vocab");
    assertTrue(ModelCatalog.describe("cartesia/ink-whisper").capabilities().wordTimings());
    assertFalse(ModelCatalog.describe("cartesia/ink-2").capabilities().wordTimings(), "not verified to send them");
    assertFalse(ModelCatalog.describe("deepgram/nova-4-future").capabilities().wordTimings(), "unknown: none claimed");
    assertTrue(ModelCatalog.describe("assemblyai/u3-rt-pro").capabilities().chatContext());
    assertTrue(ModelCatalog.describe("assemblyai/universal-3-5-pro").capabilities().chatContext());
    assertFalse(ModelCatalog.describe("assemblyai/universal-streaming").capabilities().chatContext());
    assertEquals(ModelCapabilities.NONE, ModelCatalog.describe("auto").capabilities());
    assertEquals(ModelCapabilities.NONE, ModelCatalog.describe(null).capabilities());
  }

  @Test
  void wordTimingsAreClaimedOnlyIfTheModelAndEveryFallbackSendThem() {
    assertTrue(ModelCatalog.capabilities("deepgram/nova-3", null, List.of(FallbackModel.of("assemblyai/universal-streaming")))
        .wordTimings());
    ModelCapabilities withInworld = ModelCatalog.capabilities("deepgram/nova-3", null, List.of(
        FallbackModel.of("assemblyai/universal-streaming"), FallbackModel.of("inworld/inworld-stt-1")));
    assertFalse(withInworld.wordTimings(), "Inworld sends no word timings");
    assertTrue(withInworld.keyterms(), "the rest is the primary model's");
    assertFalse(ModelCatalog.capabilities("deepgram/nova-3", null, List.of(FallbackModel.of("someone/unknown")))
        .wordTimings());
  }

  @Test
  void diarizationIsWhatTheProviderOptionsAskFor() {
    assertFalse(ModelCatalog.capabilities("deepgram/nova-3", null, null).diarization());
    assertTrue(ModelCatalog.capabilities("deepgram/nova-3", new JsonObject().put("diarize", true), null).diarization());
    assertTrue(ModelCatalog.capabilities("assemblyai/u3-rt-pro", new JsonObject().put("speaker_labels", true), null)
        .diarization());
    assertTrue(ModelCatalog.capabilities("speechmatics/enhanced", new JsonObject().put("diarization", "speaker"), null)
        .diarization());
    assertFalse(ModelCatalog.capabilities("speechmatics/enhanced", new JsonObject().put("diarization", "none"), null)
        .diarization(), "Speechmatics' none is off");
  }

  @Test
  void capabilitiesAsJsonAreExactlyTheFourFlags() {
    JsonObject json = new ModelCapabilities(true, false, true, false).toJson();
    assertEquals(Set.of("wordTimings", "diarization", "keyterms", "chatContext"), json.fieldNames());
    assertEquals(new ModelCapabilities(true, false, true, false), ModelCapabilities.fromJson(json));
  }
}
