package org.voicerelay.stt.client;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The families of models LiveKit Inference types, each with its options class, the models LiveKit
 * knows by name (any other model string of the provider is still accepted, as LiveKit accepts it)
 * and the option its provider takes keyterms in.
 */
public enum ModelFamily {

  DEEPGRAM("deepgram", List.of("nova-3", "nova-3-medical", "nova-2", "nova-2-medical",
      "nova-2-conversationalai", "nova-2-phonecall"), "keyterm", DeepgramOptions::new),
  DEEPGRAM_FLUX("deepgram", List.of("flux-general", "flux-general-en", "flux-general-multi"), "keyterm",
      DeepgramFluxOptions::new),
  CARTESIA("cartesia", List.of("ink-whisper", "ink-2"), "keyterm", CartesiaOptions::new),
  ASSEMBLYAI("assemblyai", List.of("universal-streaming", "universal-streaming-multilingual", "u3-rt-pro",
      "universal-3-5-pro"), "keyterms_prompt", AssemblyAiOptions::new),
  ELEVENLABS("elevenlabs", List.of("scribe_v2_realtime"), null, ElevenLabsOptions::new),
  XAI("xai", List.of("stt-1"), null, XaiOptions::new),
  SPEECHMATICS("speechmatics", List.of("enhanced", "standard"), "additional_vocab", SpeechmaticsOptions::new),
  INWORLD("inworld", List.of("inworld-stt-1"), null, InworldOptions::new);

  private final String provider;
  private final List<String> knownModels;
  private final String keytermOption;
  private final Function<JsonObject, ProviderOptions> options;

  ModelFamily(String provider, List<String> knownModels, String keytermOption,
      Function<JsonObject, ProviderOptions> options) {
    this.provider = provider;
    this.knownModels = knownModels;
    this.keytermOption = keytermOption;
    this.options = options;
  }

  /** The provider part of the model string, {@code deepgram} in {@code deepgram/nova-3}. */
  public String provider() {
    return provider;
  }

  /** The models LiveKit knows by name, as {@code provider/model}. */
  public List<String> knownModels() {
    return knownModels.stream().map(m -> provider + "/" + m).toList();
  }

  /** The provider option that takes keyterms, or null if the family takes none. */
  public String keytermOption() {
    return keytermOption;
  }

  /** Typed options of this family read from {@code extra} (checked as the setters check them). */
  public ProviderOptions options(JsonObject extra) {
    return options.apply(extra == null ? new JsonObject() : extra);
  }

  /**
   * The family of a model string ({@code provider/model}, optionally {@code :language}): by its
   * provider, and for Deepgram by the model ({@code flux-*} is Flux, anything else Nova). Null for
   * {@code auto}, an unset model, or a provider LiveKit does not type.
   */
  public static ModelFamily of(String model) {
    if (model == null) {
      return null;
    }
    String name = model.trim().toLowerCase(Locale.ROOT);
    int slash = name.indexOf('/');
    if (slash <= 0) {
      return null;
    }
    String provider = name.substring(0, slash);
    String rest = name.substring(slash + 1);
    if (DEEPGRAM.provider.equals(provider)) {
      return rest.startsWith("flux") ? DEEPGRAM_FLUX : DEEPGRAM;
    }
    for (ModelFamily family : values()) {
      if (family.provider.equals(provider)) {
        return family;
      }
    }
    return null;
  }
}
