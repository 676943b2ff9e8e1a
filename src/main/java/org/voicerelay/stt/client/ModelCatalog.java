package org.voicerelay.stt.client;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.voicerelay.stt.protocol.FallbackModel;
import org.voicerelay.stt.protocol.ModelName;

/**
 * The models LiveKit Inference types, with what each can do, as LiveKit's own clients decide it:
 * word timings only for the models LiveKit has verified to send them (any other model, {@code auto}
 * included, is taken to send none: claiming timings a model does not send is the costlier error);
 * keyterms for the providers whose keyterm option LiveKit fills (Deepgram, AssemblyAI,
 * Speechmatics); chat context for AssemblyAI's U3 Pro models; diarization when the stream's
 * provider options ask for it ({@code diarize}, {@code speaker_labels}, {@code diarization}).
 *
 * <p>A stream claims word timings only if its model and every fallback send them: after a
 * fallback, words may come without times.
 */
public final class ModelCatalog {

  /** The agent text the U3 Pro models take as {@code agent_context}: the last 1,750 characters. */
  public static final int AGENT_CONTEXT_MAX_CHARS = 1_750;

  /** The provider option that carries the agent's words to the models that take chat context. */
  public static final String AGENT_CONTEXT_OPTION = "agent_context";

  private static final List<String> ENGLISH = List.of("en");

  /** The models LiveKit has verified to send word timings. */
  private static final Set<String> WORD_TIMINGS = Set.of(
      "deepgram/nova-3", "deepgram/nova-3-medical", "deepgram/nova-2", "deepgram/nova-2-medical",
      "deepgram/nova-2-conversationalai", "deepgram/nova-2-phonecall", "deepgram/flux-general",
      "deepgram/flux-general-en", "deepgram/flux-general-multi", "cartesia/ink-whisper",
      "assemblyai/universal-streaming", "assemblyai/universal-streaming-multilingual", "assemblyai/u3-rt-pro",
      "assemblyai/universal-3-5-pro", "elevenlabs/scribe_v2_realtime", "xai/stt-1", "speechmatics/enhanced",
      "speechmatics/standard");

  /** The models that carry the agent's replies as {@code agent_context}. */
  private static final Set<String> CHAT_CONTEXT = Set.of("assemblyai/u3-rt-pro", "assemblyai/universal-3-5-pro");

  /** The provider options that turn diarization on (Deepgram and xAI, AssemblyAI, Speechmatics). */
  private static final List<String> DIARIZATION_OPTIONS = List.of("diarize", "speaker_labels", "diarization");

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
    boolean keyterms = switch (family) {
      case DEEPGRAM, DEEPGRAM_FLUX, ASSEMBLYAI, SPEECHMATICS -> true;
      case CARTESIA, ELEVENLABS, XAI, INWORLD -> false;
    };
    ModelCapabilities capabilities = new ModelCapabilities(WORD_TIMINGS.contains(key), false, keyterms,
        CHAT_CONTEXT.contains(key));
    return new ModelInfo(name, family, family.knownModels().contains(key), capabilities,
        LANGUAGES.getOrDefault(key, List.of()));
  }

  /**
   * The {@code agent_context} for the agent's latest reply, as LiveKit's clients send it: that reply
   * only, replacing the previous one, its last {@link #AGENT_CONTEXT_MAX_CHARS} characters.
   */
  public static String agentContext(String reply) {
    int excess = reply.length() - AGENT_CONTEXT_MAX_CHARS;
    return excess > 0 ? reply.substring(excess) : reply;
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
   * A stream's capabilities: its model's, diarization if its provider options ask for it, and
   * word timings only if every fallback sends them too.
   */
  public static ModelCapabilities capabilities(String model, JsonObject extra, List<FallbackModel> fallbacks) {
    ModelCapabilities own = describe(model).capabilities();
    ModelCapabilities capabilities = new ModelCapabilities(own.wordTimings(), diarizationAskedFor(extra),
        own.keyterms(), own.chatContext());
    if (fallbacks != null) {
      for (FallbackModel fallback : fallbacks) {
        capabilities = capabilities.wordTimingsAlso(describe(fallback.model()).capabilities());
      }
    }
    return capabilities;
  }

  /** Whether provider options turn diarization on; Speechmatics' {@code "none"} means off. */
  static boolean diarizationAskedFor(JsonObject extra) {
    if (extra == null) {
      return false;
    }
    for (String option : DIARIZATION_OPTIONS) {
      Object value = extra.getValue(option);
      if (Boolean.TRUE.equals(value) || value instanceof String text && !text.isBlank() && !"none".equals(text)) {
        return true;
      }
    }
    return false;
  }
}
