package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.format.SnakeCase;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Options of Deepgram Flux ({@code flux-general}, {@code flux-general-en}, {@code flux-general-multi}), which detects the end of a turn itself, with the names LiveKit sends in
 * {@code settings.extra}. Unset options are not sent.
 */
@DataObject
@JsonGen(publicConverter = false, jsonPropertyNameFormatter = SnakeCase.class)
public class DeepgramFluxOptions extends ProviderOptions {

  private Double eagerEotThreshold;
  private Double eotThreshold;
  private Integer eotTimeoutMs;
  private List<String> keyterm;
  private Boolean mipOptOut;
  private List<String> tag;
  private Boolean detectLanguage;
  private List<String> languageHint;

  public DeepgramFluxOptions() {
  }

  public DeepgramFluxOptions(JsonObject json) {
    DeepgramFluxOptionsConverter.fromJson(json, this);
  }

  @Override
  public ModelFamily family() {
    return ModelFamily.DEEPGRAM_FLUX;
  }

  public Double getEagerEotThreshold() {
    return eagerEotThreshold;
  }

  /** {@code eager_eot_threshold}: End-of-turn confidence from which a preflight (eager) transcript is sent, 0.3..0.9. */
  public DeepgramFluxOptions setEagerEotThreshold(Double eagerEotThreshold) {
    this.eagerEotThreshold = inRange("eager_eot_threshold", eagerEotThreshold, 0.0, 1.0);
    return this;
  }

  public Double getEotThreshold() {
    return eotThreshold;
  }

  /** {@code eot_threshold}: End-of-turn confidence that ends a turn, 0.5..0.9. */
  public DeepgramFluxOptions setEotThreshold(Double eotThreshold) {
    this.eotThreshold = inRange("eot_threshold", eotThreshold, 0.0, 1.0);
    return this;
  }

  public Integer getEotTimeoutMs() {
    return eotTimeoutMs;
  }

  /** {@code eot_timeout_ms}: Milliseconds of silence after which a turn ends whatever the confidence. */
  public DeepgramFluxOptions setEotTimeoutMs(Integer eotTimeoutMs) {
    this.eotTimeoutMs = atLeast("eot_timeout_ms", eotTimeoutMs, 0);
    return this;
  }

  public List<String> getKeyterm() {
    return keyterm;
  }

  /** {@code keyterm}: Key terms to listen for; the stream's keyterms are merged after these. */
  public DeepgramFluxOptions setKeyterm(List<String> keyterm) {
    this.keyterm = keyterm == null ? null : List.copyOf(keyterm);
    return this;
  }

  public Boolean getMipOptOut() {
    return mipOptOut;
  }

  /** {@code mip_opt_out}: Opt out of the Deepgram Model Improvement Program. */
  public DeepgramFluxOptions setMipOptOut(Boolean mipOptOut) {
    this.mipOptOut = mipOptOut;
    return this;
  }

  public List<String> getTag() {
    return tag;
  }

  /** {@code tag}: Tags for the provider's usage reports. */
  public DeepgramFluxOptions setTag(List<String> tag) {
    this.tag = tag == null ? null : List.copyOf(tag);
    return this;
  }

  public Boolean getDetectLanguage() {
    return detectLanguage;
  }

  /** {@code detect_language}: The language detected per turn ({@code flux-general-multi}). */
  public DeepgramFluxOptions setDetectLanguage(Boolean detectLanguage) {
    this.detectLanguage = detectLanguage;
    return this;
  }

  public List<String> getLanguageHint() {
    return languageHint;
  }

  /** {@code language_hint}: Languages to expect ({@code flux-general-multi}). */
  public DeepgramFluxOptions setLanguageHint(List<String> languageHint) {
    this.languageHint = languageHint == null ? null : List.copyOf(languageHint);
    return this;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    DeepgramFluxOptionsConverter.toJson(this, json);
    return json;
  }
}
