package org.voicerelay.stt.gateway.sphinx;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.config.JsonTypes;

/**
 * Tuning of the Sphinx4 engine, read from the {@code config} given to
 * {@link SphinxRecognizer#load}; the keys are the property names below ({@code decoders},
 * {@code absoluteBeamWidth}, ...). Every key is optional; the defaults are the settings measured
 * best on this project's samples (see {@code scripts/samples/README.md}): a lower word error rate
 * than Sphinx4's own defaults (0.106 against 0.133 over 113 words of six of the samples) at a tenth
 * of their decoding time (RTF about 0.2 against 2).
 */
@DataObject
@JsonGen(publicConverter = false)
public final class SphinxOptions {

  /**
   * Decoders, each a full copy of the model (about 160 MB of heap, 4-7 s to load) on a thread of
   * its own. Sessions take turns on them, so more sessions than decoders still work, each more
   * slowly. Two, because on a 2-core machine two decoders gave 1.9 times the throughput of one
   * (14 concurrent sessions: 0.15 against 0.28 s of decoding per second of audio) with the same
   * hypotheses; one warm decoder alone keeps up with about four real-time sessions.
   */
  public static final int DEFAULT_DECODERS = 2;
  /**
   * Most search paths kept per frame. Measured on the bundled samples: 1000 loses words (WER 0.159
   * against 0.106 on the same six samples), 3000 gains nothing (0.115), Sphinx4's default of 20000
   * decodes at twice real time for no gain.
   */
  public static final int DEFAULT_ABSOLUTE_BEAM_WIDTH = 2000;
  /** Paths scoring below the best by more than this factor are dropped. */
  public static final double DEFAULT_RELATIVE_BEAM_WIDTH = 1e-60;
  /** Most word-ending paths kept per frame. */
  public static final int DEFAULT_ABSOLUTE_WORD_BEAM_WIDTH = 200;
  public static final double DEFAULT_RELATIVE_WORD_BEAM_WIDTH = 1e-40;
  public static final double DEFAULT_WORD_INSERTION_PROBABILITY = 0.1;
  public static final double DEFAULT_LANGUAGE_WEIGHT = 8.0;
  /** 10 ms frames between interim hypotheses: 25 gives one every quarter second of speech. */
  public static final int DEFAULT_INTERIM_FRAMES = 25;
  /** Silence that ends a speech segment, hence a final hypothesis, in milliseconds (300 measured the same). */
  public static final int DEFAULT_END_SILENCE_MS = 200;
  /**
   * Word confidences from lattice posteriors (one lattice per final hypothesis; no RTF difference
   * measurable here). Without it, final words have confidence 0.
   */
  public static final boolean DEFAULT_WORD_CONFIDENCE = true;
  /** Decode a bundled clip at load so the first session does not pay for the JIT and lazy tables. */
  public static final boolean DEFAULT_WARM_UP = true;
  public static final String DEFAULT_ACOUSTIC_MODEL = "resource:/edu/cmu/sphinx/models/en-us/en-us";
  public static final String DEFAULT_DICTIONARY = "resource:/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict";
  public static final String DEFAULT_LANGUAGE_MODEL = "resource:/edu/cmu/sphinx/models/en-us/en-us.lm.bin";

  private int decoders = DEFAULT_DECODERS;
  private int absoluteBeamWidth = DEFAULT_ABSOLUTE_BEAM_WIDTH;
  private double relativeBeamWidth = DEFAULT_RELATIVE_BEAM_WIDTH;
  private int absoluteWordBeamWidth = DEFAULT_ABSOLUTE_WORD_BEAM_WIDTH;
  private double relativeWordBeamWidth = DEFAULT_RELATIVE_WORD_BEAM_WIDTH;
  private double wordInsertionProbability = DEFAULT_WORD_INSERTION_PROBABILITY;
  private double languageWeight = DEFAULT_LANGUAGE_WEIGHT;
  private int interimFrames = DEFAULT_INTERIM_FRAMES;
  private int endSilenceMs = DEFAULT_END_SILENCE_MS;
  private boolean wordConfidence = DEFAULT_WORD_CONFIDENCE;
  private boolean warmUp = DEFAULT_WARM_UP;
  private String acousticModel = DEFAULT_ACOUSTIC_MODEL;
  private String dictionary = DEFAULT_DICTIONARY;
  private String languageModel = DEFAULT_LANGUAGE_MODEL;

  public SphinxOptions() {
  }

  /** Reads the keys named like the getters; unknown keys are ignored, out-of-range values refused. */
  public SphinxOptions(JsonObject json) {
    SphinxOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "recognizerConfig."), this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    SphinxOptionsConverter.toJson(this, json);
    return json;
  }

  private static void require(boolean ok, String rule, Object value) {
    if (!ok) {
      throw new IllegalArgumentException("sphinx4 options: " + rule + ", got " + value);
    }
  }

  public int getDecoders() {
    return decoders;
  }

  public SphinxOptions setDecoders(int value) {
    require(value >= 1 && value <= 64, "decoders must be 1..64", value);
    decoders = value;
    return this;
  }

  public int getAbsoluteBeamWidth() {
    return absoluteBeamWidth;
  }

  public SphinxOptions setAbsoluteBeamWidth(int value) {
    require(value >= 1, "absoluteBeamWidth must be positive", value);
    absoluteBeamWidth = value;
    return this;
  }

  public double getRelativeBeamWidth() {
    return relativeBeamWidth;
  }

  public SphinxOptions setRelativeBeamWidth(double value) {
    require(value > 0 && value <= 1, "relativeBeamWidth must be in (0,1]", value);
    relativeBeamWidth = value;
    return this;
  }

  public int getAbsoluteWordBeamWidth() {
    return absoluteWordBeamWidth;
  }

  public SphinxOptions setAbsoluteWordBeamWidth(int value) {
    require(value >= 1, "absoluteWordBeamWidth must be positive", value);
    absoluteWordBeamWidth = value;
    return this;
  }

  public double getRelativeWordBeamWidth() {
    return relativeWordBeamWidth;
  }

  public SphinxOptions setRelativeWordBeamWidth(double value) {
    require(value > 0 && value <= 1, "relativeWordBeamWidth must be in (0,1]", value);
    relativeWordBeamWidth = value;
    return this;
  }

  public double getWordInsertionProbability() {
    return wordInsertionProbability;
  }

  public SphinxOptions setWordInsertionProbability(double value) {
    require(value > 0 && value <= 1, "wordInsertionProbability must be in (0,1]", value);
    wordInsertionProbability = value;
    return this;
  }

  public double getLanguageWeight() {
    return languageWeight;
  }

  public SphinxOptions setLanguageWeight(double value) {
    require(value > 0, "languageWeight must be positive", value);
    languageWeight = value;
    return this;
  }

  public int getInterimFrames() {
    return interimFrames;
  }

  public SphinxOptions setInterimFrames(int value) {
    require(value >= 1, "interimFrames must be positive", value);
    interimFrames = value;
    return this;
  }

  public int getEndSilenceMs() {
    return endSilenceMs;
  }

  public SphinxOptions setEndSilenceMs(int value) {
    require(value >= 10, "endSilenceMs must be at least 10", value);
    endSilenceMs = value;
    return this;
  }

  public boolean isWordConfidence() {
    return wordConfidence;
  }

  public SphinxOptions setWordConfidence(boolean value) {
    wordConfidence = value;
    return this;
  }

  public boolean isWarmUp() {
    return warmUp;
  }

  public SphinxOptions setWarmUp(boolean value) {
    warmUp = value;
    return this;
  }

  public String getAcousticModel() {
    return acousticModel;
  }

  public SphinxOptions setAcousticModel(String value) {
    require(value != null, "acousticModel must not be null", value);
    acousticModel = value;
    return this;
  }

  public String getDictionary() {
    return dictionary;
  }

  public SphinxOptions setDictionary(String value) {
    require(value != null, "dictionary must not be null", value);
    dictionary = value;
    return this;
  }

  public String getLanguageModel() {
    return languageModel;
  }

  public SphinxOptions setLanguageModel(String value) {
    require(value != null && (value.endsWith(".bin") || value.endsWith(".lm") || value.endsWith(".dmp")), "languageModel must be a .lm.bin, .lm or .dmp file", value);
    languageModel = value;
    return this;
  }
}
