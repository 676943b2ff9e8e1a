package org.voicerelay.stt.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.voicerelay.stt.protocol.FallbackModel;
import org.voicerelay.stt.protocol.ModelName;

/**
 * The models LiveKit Inference types, with what each can do: word timings, diarization, keyterms,
 * chat context, and the languages where they are known. A model of a typed family that LiveKit
 * does not know by name gets its family's capabilities; {@code auto} and untyped providers get
 * {@link ModelCapabilities#NONE}.
 *
 * <p>A stream claims word timings only if its model and every fallback send them: after a
 * fallback, words may come without times.
 */
public final class ModelCatalog {

  /** The agent text the U3 Pro models take as {@code agent_context}: the last 1,750 characters. */
  public static final int AGENT_CONTEXT_MAX_CHARS = 1_750;

  private static final ModelCapabilities WORDS_SPEAKERS_KEYTERMS = new ModelCapabilities(true, true, true, false);
  private static final ModelCapabilities WORDS_SPEAKERS = new ModelCapabilities(true, true, false, false);
  private static final ModelCapabilities WORDS_KEYTERMS = new ModelCapabilities(true, false, true, false);
  private static final ModelCapabilities U3_PRO = new ModelCapabilities(true, true, true, true);
  private static final List<String> ENGLISH = List.of("en");

  /** Models whose capabilities differ from their family's. */
  private static final Map<String, ModelCapabilities> BY_MODEL = Map.of(
      "deepgram/nova-2", WORDS_SPEAKERS,
      "deepgram/nova-2-medical", WORDS_SPEAKERS,
      "deepgram/nova-2-conversationalai", WORDS_SPEAKERS,
      "deepgram/nova-2-phonecall", WORDS_SPEAKERS,
      "assemblyai/u3-rt-pro", U3_PRO,
      "assemblyai/universal-3-5-pro", U3_PRO);

  /** Models that take one language only. */
  private static final Map<String, List<String>> LANGUAGES = Map.of(
      "deepgram/nova-3-medical", ENGLISH,
      "deepgram/nova-2-medical", ENGLISH,
      "deepgram/nova-2-conversationalai", ENGLISH,
      "deepgram/nova-2-phonecall", ENGLISH,
      "deepgram/flux-general-en", ENGLISH,
      "assemblyai/universal-streaming", ENGLISH);

  private ModelCatalog() {
  }

  /** What is known of a model string ({@code provider/model[:language]}, {@code auto} or null). */
  public static ModelInfo describe(String model) {
    String name = ModelName.parse(model).wireModel();
    ModelFamily family = ModelFamily.of(name);
    if (family == null) {
      return new ModelInfo(name == null ? ModelName.AUTO : name, null, false, ModelCapabilities.NONE, List.of());
    }
    String key = name.toLowerCase(Locale.ROOT);
    boolean known = family.knownModels().contains(key);
    ModelCapabilities capabilities = BY_MODEL.getOrDefault(key, familyCapabilities(family, key));
    return new ModelInfo(name, family, known, capabilities, LANGUAGES.getOrDefault(key, List.of()));
  }

  /** Every model LiveKit knows by name, family by family. */
  public static List<ModelInfo> knownModels() {
    List<ModelInfo> all = new ArrayList<>();
    for (ModelFamily family : ModelFamily.values()) {
      family.knownModels().forEach(m -> all.add(describe(m)));
    }
    return all;
  }

  /**
   * A stream's capabilities: its model's, with word timings only if every fallback sends them
   * too.
   */
  public static ModelCapabilities capabilities(String model, List<FallbackModel> fallbacks) {
    ModelCapabilities capabilities = describe(model).capabilities();
    if (fallbacks != null) {
      for (FallbackModel fallback : fallbacks) {
        capabilities = capabilities.wordTimingsAlso(describe(fallback.model()).capabilities());
      }
    }
    return capabilities;
  }

  private static ModelCapabilities familyCapabilities(ModelFamily family, String model) {
    return switch (family) {
      case DEEPGRAM -> model.startsWith("deepgram/nova-3") ? WORDS_SPEAKERS_KEYTERMS : WORDS_SPEAKERS;
      case DEEPGRAM_FLUX, CARTESIA -> WORDS_KEYTERMS;
      case ASSEMBLYAI, SPEECHMATICS -> WORDS_SPEAKERS_KEYTERMS;
      case ELEVENLABS -> new ModelCapabilities(true, false, false, false);
      case XAI -> new ModelCapabilities(false, true, false, false);
      case INWORLD -> ModelCapabilities.NONE;
    };
  }
}
