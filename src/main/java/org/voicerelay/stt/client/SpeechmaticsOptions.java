package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.format.SnakeCase;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Options of Speechmatics ({@code enhanced}, {@code standard}), with the names LiveKit sends in
 * {@code settings.extra}. Unset options are not sent. Speechmatics models end an utterance when the client asks, so streams of these models send {@code session.finalize} at the end of speech (see {@link StreamOptions#setEndOfSpeechFinalize}).
 */
@DataObject
@JsonGen(publicConverter = false, jsonPropertyNameFormatter = SnakeCase.class)
public class SpeechmaticsOptions extends ProviderOptions {

  private String domain;
  private String outputLocale;
  private Double maxDelay;
  private String maxDelayMode;
  private String diarization;
  private Double speakerSensitivity;
  private Integer maxSpeakers;
  private Boolean preferCurrentSpeaker;
  private Boolean enablePartials;
  private Boolean enableEntities;
  private JsonArray additionalVocab;
  private Double endOfUtteranceSilenceTrigger;
  private JsonObject punctuationOverrides;
  private JsonObject audioFilteringConfig;
  private JsonObject transcriptFilteringConfig;

  public SpeechmaticsOptions() {
  }

  public SpeechmaticsOptions(JsonObject json) {
    SpeechmaticsOptionsConverter.fromJson(json, this);
  }

  @Override
  public ModelFamily family() {
    return ModelFamily.SPEECHMATICS;
  }

  public String getDomain() {
    return domain;
  }

  /** {@code domain}: A domain model ({@code finance}, {@code medical}, ...). */
  public SpeechmaticsOptions setDomain(String domain) {
    this.domain = domain;
    return this;
  }

  public String getOutputLocale() {
    return outputLocale;
  }

  /** {@code output_locale}: Spelling of the output ({@code en-GB}, {@code en-US}, ...). */
  public SpeechmaticsOptions setOutputLocale(String outputLocale) {
    this.outputLocale = outputLocale;
    return this;
  }

  public Double getMaxDelay() {
    return maxDelay;
  }

  /** {@code max_delay}: Longest delay in seconds before a final transcript. */
  public SpeechmaticsOptions setMaxDelay(Double maxDelay) {
    this.maxDelay = atLeast("max_delay", maxDelay, 0);
    return this;
  }

  public String getMaxDelayMode() {
    return maxDelayMode;
  }

  /** {@code max_delay_mode}: {@code fixed} or {@code flexible} (may wait longer for numbers). */
  public SpeechmaticsOptions setMaxDelayMode(String maxDelayMode) {
    this.maxDelayMode = maxDelayMode;
    return this;
  }

  public String getDiarization() {
    return diarization;
  }

  /** {@code diarization}: {@code none} or {@code speaker}. */
  public SpeechmaticsOptions setDiarization(String diarization) {
    this.diarization = diarization;
    return this;
  }

  public Double getSpeakerSensitivity() {
    return speakerSensitivity;
  }

  /** {@code speaker_sensitivity}: How readily a new speaker is detected, 0..1. */
  public SpeechmaticsOptions setSpeakerSensitivity(Double speakerSensitivity) {
    this.speakerSensitivity = inRange("speaker_sensitivity", speakerSensitivity, 0.0, 1.0);
    return this;
  }

  public Integer getMaxSpeakers() {
    return maxSpeakers;
  }

  /** {@code max_speakers}: Most speakers told apart. */
  public SpeechmaticsOptions setMaxSpeakers(Integer maxSpeakers) {
    this.maxSpeakers = atLeast("max_speakers", maxSpeakers, 1);
    return this;
  }

  public Boolean getEnablePartials() {
    return enablePartials;
  }

  /** {@code enable_partials}: Partial (interim) transcripts. */
  public SpeechmaticsOptions setEnablePartials(Boolean enablePartials) {
    this.enablePartials = enablePartials;
    return this;
  }

  public Boolean getEnableEntities() {
    return enableEntities;
  }

  /** {@code enable_entities}: Entities (dates, numbers, ...) formatted. */
  public SpeechmaticsOptions setEnableEntities(Boolean enableEntities) {
    this.enableEntities = enableEntities;
    return this;
  }

  public JsonArray getAdditionalVocab() {
    return additionalVocab;
  }

  /**
   * {@code additional_vocab}: Vocabulary as {@code {"content", "sounds_like"?}} objects, LiveKit's
   * type; a plain string is taken as {@code {"content": string}}. The stream's keyterms are merged
   * after these.
   */
  public SpeechmaticsOptions setAdditionalVocab(JsonArray additionalVocab) {
    this.additionalVocab = additionalVocab == null ? null : vocabularyEntries(additionalVocab);
    return this;
  }

  /** The entries as objects: a string becomes {@code {"content": string}}; anything else is refused. */
  private static JsonArray vocabularyEntries(JsonArray entries) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < entries.size(); i++) {
      Object entry = entries.getValue(i);
      if (entry instanceof String term) {
        out.add(new JsonObject().put("content", term));
      } else if (entry instanceof JsonObject o && o.getValue("content") instanceof String) {
        out.add(o.copy());
      } else {
        throw new IllegalArgumentException("additional_vocab[" + i + "] must be a string or an object with a string content");
      }
    }
    return out;
  }

  public Double getEndOfUtteranceSilenceTrigger() {
    return endOfUtteranceSilenceTrigger;
  }

  /** {@code end_of_utterance_silence_trigger}: Seconds of silence after which the provider ends an utterance itself. */
  public SpeechmaticsOptions setEndOfUtteranceSilenceTrigger(Double endOfUtteranceSilenceTrigger) {
    this.endOfUtteranceSilenceTrigger = atLeast("end_of_utterance_silence_trigger", endOfUtteranceSilenceTrigger, 0);
    return this;
  }

  public JsonObject getPunctuationOverrides() {
    return punctuationOverrides;
  }

  /** {@code punctuation_overrides}: Punctuation settings ({@code permitted_marks}, {@code sensitivity}). */
  public SpeechmaticsOptions setPunctuationOverrides(JsonObject punctuationOverrides) {
    this.punctuationOverrides = punctuationOverrides == null ? null : punctuationOverrides.copy();
    return this;
  }

  public Boolean getPreferCurrentSpeaker() {
    return preferCurrentSpeaker;
  }

  /** {@code prefer_current_speaker}: Words near a speaker change go to the current speaker. */
  public SpeechmaticsOptions setPreferCurrentSpeaker(Boolean preferCurrentSpeaker) {
    this.preferCurrentSpeaker = preferCurrentSpeaker;
    return this;
  }

  public JsonObject getAudioFilteringConfig() {
    return audioFilteringConfig;
  }

  /** {@code audio_filtering_config}: Quiet audio left out ({@code volume_threshold}). */
  public SpeechmaticsOptions setAudioFilteringConfig(JsonObject audioFilteringConfig) {
    this.audioFilteringConfig = audioFilteringConfig == null ? null : audioFilteringConfig.copy();
    return this;
  }

  public JsonObject getTranscriptFilteringConfig() {
    return transcriptFilteringConfig;
  }

  /** {@code transcript_filtering_config}: Words left out of transcripts ({@code remove_disfluencies}, {@code replacements}). */
  public SpeechmaticsOptions setTranscriptFilteringConfig(JsonObject transcriptFilteringConfig) {
    this.transcriptFilteringConfig = transcriptFilteringConfig == null ? null : transcriptFilteringConfig.copy();
    return this;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    SpeechmaticsOptionsConverter.toJson(this, json);
    return json;
  }
}
