package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed provider options: LiveKit's wire names, unset options left out, values checked. */
class ProviderOptionsTest {

  @Test
  void everyFamilyWritesLiveKitsWireNamesAndReadsThemBack() {
    List<ProviderOptions> all = List.of(
        new DeepgramOptions().setFillerWords(false).setEndpointing(300).setSmartFormat(true)
            .setKeyterm(List.of("Vert.x")).setMipOptOut(true).setUtteranceEnd(true).setRedact(List.of("pci"))
            .setReplace(List.of("a:b")).setSearch(List.of("x"))
            .setChannels(1).setVersion("latest").setNoDelay(true).addKeyword("vertx", 2.0),
        new DeepgramFluxOptions().setEagerEotThreshold(0.4).setEotThreshold(0.7).setEotTimeoutMs(5000)
            .setKeyterm(List.of("LiveKit")).setLanguageHint(List.of("en", "de")).setDetectLanguage(true),
        new CartesiaOptions().setMinVolume(0.1).setMaxSilenceDurationSecs(0.5).setTurnStartThreshold(0.5)
            .setTurnEagerEndThreshold(0.6).setTurnEndThreshold(0.8).setTurnEndTimeoutMs(700).setKeyterm(List.of("a")),
        new AssemblyAiOptions().setFormatTurns(true).setEndOfTurnConfidenceThreshold(0.4).setMaxTurnSilence(1200)
            .setKeytermsPrompt(List.of("a")).setAgentContext("hi").setPreviousContextNTurns(2).setVoiceFocus("far-field")
            .setVoiceFocusThreshold(0.5).setMode("max_accuracy").setPrompt("p").setSpeakerLabels(true),
        new ElevenLabsOptions().setCommitStrategy("vad").setIncludeTimestamps(true).setVadThreshold(0.5)
            .setVadSilenceThresholdSecs(0.8).setMinSpeechDurationMs(100).setMinSilenceDurationMs(200)
            .setLanguageCode("en"),
        new XaiOptions().setDiarize(true).setEndpointing(500).setFormat(true).setInterimResults(false),
        new SpeechmaticsOptions().setDomain("finance").setOutputLocale("en-GB").setMaxDelay(1.5)
            .setMaxDelayMode("flexible").setDiarization("speaker").setSpeakerSensitivity(0.6).setMaxSpeakers(3)
            .setEnablePartials(true).setEnableEntities(true).setAdditionalVocab(new JsonArray().add("LiveKit"))
            .setEndOfUtteranceSilenceTrigger(0.5).setPreferCurrentSpeaker(true)
            .setAudioFilteringConfig(new JsonObject().put("volume_threshold", 3.0))
            .setTranscriptFilteringConfig(new JsonObject().put("remove_disfluencies", true)),
        new InworldOptions().setEnableVoiceProfile(false).setVoiceProfileTopN(5).setAudioEncoding("AUTO_DETECT")
            .setPrompts(List.of("pizza")).setVadThreshold(0.4));
    for (ProviderOptions options : all) {
      JsonObject json = options.toJson();
      assertEquals(json, options.family().options(json).toJson(), options.getClass().getSimpleName());
      json.fieldNames().forEach(name -> assertTrue(name.matches("[a-z0-9_]+"), "snake_case: " + name));
    }
    assertEquals(300, all.get(0).toJson().getInteger("endpointing"));
    assertEquals(new JsonArray().add(new JsonArray().add("vertx").add(2.0)), all.get(0).toJson().getJsonArray("keywords"));
    assertEquals(5000, all.get(1).toJson().getInteger("eot_timeout_ms"));
    assertEquals(700, all.get(2).toJson().getInteger("turn_end_timeout_ms"));
    assertEquals("hi", all.get(3).toJson().getString("agent_context"));
    assertEquals(2, all.get(3).toJson().getInteger("previous_context_n_turns"));
    assertEquals(0.5, all.get(6).toJson().getDouble("end_of_utterance_silence_trigger"));
    assertEquals(new JsonArray().add(new JsonObject().put("content", "LiveKit")),
        all.get(6).toJson().getJsonArray("additional_vocab"), "a plain string is taken as {\"content\"}");
  }

  @Test
  void aValueOutsideLiveKitsLiteralIsRefusedNamingTheWireOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new AssemblyAiOptions().setVoiceFocus("true"));
    assertTrue(e.getMessage().contains("voice_focus") && e.getMessage().contains("near-field"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new InworldOptions().setAudioEncoding("MP3"));
    assertTrue(e.getMessage().contains("audio_encoding"), e.getMessage());
  }

  @Test
  void unsetOptionsAreLeftOutSoTheGatewaysDefaultsApply() {
    for (ModelFamily family : ModelFamily.values()) {
      assertEquals(new JsonObject(), family.options(null).toJson(), family.name());
    }
  }

  @Test
  void anOutOfRangeValueIsRefusedNamingTheWireOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DeepgramFluxOptions().setEotThreshold(1.5));
    assertTrue(e.getMessage().contains("eot_threshold"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new AssemblyAiOptions(new JsonObject().put("max_turn_silence", -1)));
    assertTrue(e.getMessage().contains("max_turn_silence"), e.getMessage());
  }

  @Test
  void typedOptionsMergeIntoTheClientsExtra() {
    SttOptions options = new SttOptions().setProviderOptions(new XaiOptions().setDiarize(true))
        .setProviderOptions(new SpeechmaticsOptions().setMaxSpeakers(2));
    assertEquals(new JsonObject().put("diarize", true).put("max_speakers", 2), options.getExtra());
  }
}
