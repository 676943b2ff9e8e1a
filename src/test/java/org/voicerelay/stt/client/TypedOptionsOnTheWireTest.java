package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Each family's typed options, every key set, as the gateway receives them in
 * {@code session.create}: LiveKit's key names and LiveKit's JSON value types (bool, int, float,
 * str, list, dict), read back from the frame the scripted gateway parsed.
 */
class TypedOptionsOnTheWireTest extends OnScriptedGateway {

  private static final Class<?> BOOL = Boolean.class;
  private static final Class<?> INT = Integer.class;
  private static final Class<?> FLOAT = Double.class;
  private static final Class<?> STR = String.class;
  private static final Class<?> LIST = JsonArray.class;
  private static final Class<?> DICT = JsonObject.class;

  @Test
  void deepgramOptionsGoOutUnderLiveKitsNamesAndTypes(Vertx vertx, VertxTestContext ctx) {
    DeepgramOptions options = new DeepgramOptions().setFillerWords(true).setInterimResults(true).setEndpointing(25)
        .setPunctuate(true).setSmartFormat(true).addKeyword("Vert.x", 2.0).setKeyterm(List.of("LiveKit"))
        .setProfanityFilter(false).setNumerals(true).setMipOptOut(true).setVadEvents(true).setDiarize(true)
        .setDictation(false).setDetectLanguage(false).setNoDelay(true).setUtteranceEnd(true)
        .setRedact(List.of("pci")).setReplace(List.of("vertex:Vert.x")).setSearch(List.of("gateway"))
        .setTag(List.of("calls")).setChannels(1).setVersion("latest").setCallback("https://example.invalid/dg")
        .setCallbackMethod("POST").setExtra("team:voice");
    expectOnTheWire(vertx, ctx, "deepgram/nova-3", options, keys(
        "filler_words", BOOL, "interim_results", BOOL, "endpointing", INT, "punctuate", BOOL, "smart_format", BOOL,
        "keywords", LIST, "keyterm", LIST, "profanity_filter", BOOL, "numerals", BOOL, "mip_opt_out", BOOL,
        "vad_events", BOOL, "diarize", BOOL, "dictation", BOOL, "detect_language", BOOL, "no_delay", BOOL,
        "utterance_end", BOOL, "redact", LIST, "replace", LIST, "search", LIST, "tag", LIST, "channels", INT,
        "version", STR, "callback", STR, "callback_method", STR, "extra", STR));
  }

  @Test
  void deepgramFluxOptionsGoOutUnderLiveKitsNamesAndTypes(Vertx vertx, VertxTestContext ctx) {
    DeepgramFluxOptions options = new DeepgramFluxOptions().setEagerEotThreshold(0.5).setEotThreshold(0.7)
        .setEotTimeoutMs(5000).setKeyterm(List.of("LiveKit")).setMipOptOut(false).setTag(List.of("calls"))
        .setDetectLanguage(true).setLanguageHint(List.of("en", "de"));
    expectOnTheWire(vertx, ctx, "deepgram/flux-general-multi", options, keys(
        "eager_eot_threshold", FLOAT, "eot_threshold", FLOAT, "eot_timeout_ms", INT, "keyterm", LIST,
        "mip_opt_out", BOOL, "tag", LIST, "detect_language", BOOL, "language_hint", LIST));
  }

  @Test
  void cartesiaOptionsGoOutUnderLiveKitsNamesAndTypes(Vertx vertx, VertxTestContext ctx) {
    CartesiaOptions options = new CartesiaOptions().setMinVolume(0.1).setMaxSilenceDurationSecs(0.5)
        .setTurnStartThreshold(0.8).setTurnEagerEndThreshold(0.4).setTurnEndThreshold(0.2).setTurnEndTimeoutMs(5600)
        .setKeyterm(List.of("LiveKit"));
    expectOnTheWire(vertx, ctx, "cartesia/ink-2", options, keys(
        "min_volume", FLOAT, "max_silence_duration_secs", FLOAT, "turn_start_threshold", FLOAT,
        "turn_eager_end_threshold", FLOAT, "turn_end_threshold", FLOAT, "turn_end_timeout_ms", INT, "keyterm", LIST));
  }

  @Test
  void assemblyAiOptionsGoOutUnderLiveKitsNamesAndTypes(Vertx vertx, VertxTestContext ctx) {
    AssemblyAiOptions options = new AssemblyAiOptions().setFormatTurns(true).setEndOfTurnConfidenceThreshold(0.01)
        .setMinEndOfTurnSilenceWhenConfident(0).setMaxTurnSilence(1200).setKeytermsPrompt(List.of("LiveKit"))
        .setLanguageDetection(false).setInactivityTimeout(30.0).setPrompt("a support call").setSpeakerLabels(true)
        .setAgentContext("How can I help?").setPreviousContextNTurns(2).setVoiceFocus("near-field")
        .setVoiceFocusThreshold(0.5).setMode("balanced");
    expectOnTheWire(vertx, ctx, "assemblyai/u3-rt-pro", options, keys(
        "format_turns", BOOL, "end_of_turn_confidence_threshold", FLOAT, "min_end_of_turn_silence_when_confident", INT,
        "max_turn_silence", INT, "keyterms_prompt", LIST, "language_detection", BOOL, "inactivity_timeout", FLOAT,
        "prompt", STR, "speaker_labels", BOOL, "agent_context", STR, "previous_context_n_turns", INT,
        "voice_focus", STR, "voice_focus_threshold", FLOAT, "mode", STR));
  }

  @Test
  void elevenLabsOptionsGoOutUnderLiveKitsNamesAndTypes(Vertx vertx, VertxTestContext ctx) {
    ElevenLabsOptions options = new ElevenLabsOptions().setCommitStrategy("vad").setIncludeTimestamps(true)
        .setVadSilenceThresholdSecs(0.8).setVadThreshold(0.5).setMinSpeechDurationMs(100).setMinSilenceDurationMs(200)
        .setLanguageCode("en");
    expectOnTheWire(vertx, ctx, "elevenlabs/scribe_v2_realtime", options, keys(
        "commit_strategy", STR, "include_timestamps", BOOL, "vad_silence_threshold_secs", FLOAT, "vad_threshold", FLOAT,
        "min_speech_duration_ms", INT, "min_silence_duration_ms", INT, "language_code", STR));
  }

  @Test
  void xaiOptionsGoOutUnderLiveKitsNamesAndTypes(Vertx vertx, VertxTestContext ctx) {
    XaiOptions options = new XaiOptions().setDiarize(true).setEndpointing(500).setFormat(true).setInterimResults(false);
    expectOnTheWire(vertx, ctx, "xai/stt-1", options, keys(
        "diarize", BOOL, "endpointing", INT, "format", BOOL, "interim_results", BOOL));
  }

  @Test
  void speechmaticsOptionsGoOutUnderLiveKitsNamesAndTypes(Vertx vertx, VertxTestContext ctx) {
    SpeechmaticsOptions options = new SpeechmaticsOptions().setDomain("finance").setOutputLocale("en-GB")
        .setMaxDelay(1.0).setMaxDelayMode("flexible").setDiarization("speaker").setSpeakerSensitivity(0.6)
        .setMaxSpeakers(3).setPreferCurrentSpeaker(true).setEnablePartials(true).setEnableEntities(true)
        .setPunctuationOverrides(new JsonObject().put("sensitivity", 0.4))
        .setAdditionalVocab(new JsonArray().add(new JsonObject().put("content", "gnocchi")
            .put("sounds_like", new JsonArray().add("nyohki"))))
        .setEndOfUtteranceSilenceTrigger(0.5)
        .setAudioFilteringConfig(new JsonObject().put("volume_threshold", 3.4))
        .setTranscriptFilteringConfig(new JsonObject().put("remove_disfluencies", true));
    expectOnTheWire(vertx, ctx, "speechmatics/enhanced", options, keys(
        "domain", STR, "output_locale", STR, "max_delay", FLOAT, "max_delay_mode", STR, "diarization", STR,
        "speaker_sensitivity", FLOAT, "max_speakers", INT, "prefer_current_speaker", BOOL, "enable_partials", BOOL,
        "enable_entities", BOOL, "punctuation_overrides", DICT, "additional_vocab", LIST,
        "end_of_utterance_silence_trigger", FLOAT, "audio_filtering_config", DICT, "transcript_filtering_config", DICT));
  }

  @Test
  void inworldOptionsGoOutUnderLiveKitsNamesAndTypes(Vertx vertx, VertxTestContext ctx) {
    InworldOptions options = new InworldOptions().setEnableVoiceProfile(true).setVoiceProfileTopN(10)
        .setIncludeWordTimestamps(true).setAudioEncoding("LINEAR16").setInactivityTimeoutSeconds(0)
        .setEndOfTurnConfidenceThreshold(0.5).setMinEndOfTurnSilenceWhenConfident(300)
        .setPrompts(List.of("a pizza order")).setVadThreshold(0.5);
    expectOnTheWire(vertx, ctx, "inworld/inworld-stt-1", options, keys(
        "enable_voice_profile", BOOL, "voice_profile_top_n", INT, "include_word_timestamps", BOOL,
        "audio_encoding", STR, "inactivity_timeout_seconds", INT, "end_of_turn_confidence_threshold", FLOAT,
        "min_end_of_turn_silence_when_confident", INT, "prompts", LIST, "vad_threshold", FLOAT));
  }

  private static Map<String, Class<?>> keys(Object... namesAndTypes) {
    Map<String, Class<?>> keys = new LinkedHashMap<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      keys.put((String) namesAndTypes[i], (Class<?>) namesAndTypes[i + 1]);
    }
    return keys;
  }

  /** Opens a stream of {@code model} with {@code options}, ends it, and checks the extra of its session.create. */
  private void expectOnTheWire(Vertx vertx, VertxTestContext ctx, String model, ProviderOptions options,
      Map<String, Class<?>> expected) {
    SttClient client = SttClient.create(vertx, gateway.options().setModel(model).setProviderOptions(options));
    client.stream().end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      JsonObject create = gateway.connection(0).framesOfType("session.create").get(0);
      JsonObject extra = create.getJsonObject("settings").getJsonObject("extra");
      assertEquals(new TreeSet<>(expected.keySet()), new TreeSet<>(extra.fieldNames()), "the keys LiveKit types");
      expected.forEach((key, type) -> assertTrue(type.isInstance(extra.getValue(key)),
          key + " must be sent as " + type.getSimpleName() + ", was " + extra.getValue(key)));
      ctx.completeNow();
    })));
  }
}
