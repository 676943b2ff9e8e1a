package org.voicerelay.stt.gateway.sphinx;

import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.frontend.endpoint.SpeechMarker;
import edu.cmu.sphinx.frontend.util.StreamDataSource;
import edu.cmu.sphinx.recognizer.Recognizer;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.ConfigurationManager;
import edu.cmu.sphinx.util.props.ConfigurationManagerUtils;
import edu.cmu.sphinx.util.props.PropertySheet;
import java.io.InputStream;
import java.net.URL;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One allocated Sphinx4 recognizer: a private copy of the model and a front end fed from a stream.
 * Allocation takes seconds, so a decoder is built once and then pointed at one stream after
 * another; Sphinx4's own {@code StreamSpeechRecognizer} re-allocates on every start, which is what
 * this class exists to avoid. Confined to one thread at a time.
 */
final class SphinxDecoder {

  /** The bundled model's rate; the front end's filters are built for it. */
  static final int SAMPLE_RATE = 16000;
  /** The speech marker's look-back (start-speech 200 ms plus leader 50 ms) in 10 ms frames. */
  private static final int MARKER_LOOKBACK_FRAMES = 25;
  /** The speech marker's end-of-segment silence in ms, set per session; null if Sphinx4 changed. */
  private static final java.lang.reflect.Field END_SILENCE_TIME = endSilenceField();

  private final Recognizer recognizer;
  private final StreamDataSource source;
  private final SpeechMarker marker;
  private final SilenceTap silence;
  private final SpeechOnsetTap onset;
  private final SessionCmn cmn;
  private Consumer<Result> interim = result -> {
  };

  private SphinxDecoder(ConfigurationManager configuration) {
    recognizer = configuration.lookup("recognizer");
    source = configuration.lookup("dataSource");
    marker = configuration.lookup("speechMarker");
    silence = configuration.lookup("silenceTap");
    onset = configuration.lookup("speechOnsetTap");
    cmn = configuration.lookup("sessionCmn");
    recognizer.addResultListener(new ResultListener() {
      @Override
      public void newResult(Result result) {
        if (!result.isFinal()) {
          interim.accept(result);
        }
      }

      @Override
      public void newProperties(PropertySheet ps) {
      }
    });
  }

  /** Builds and allocates a decoder; blocks for seconds. */
  static SphinxDecoder load(SphinxOptions options) {
    URL config = Objects.requireNonNull(SphinxDecoder.class.getResource("sphinx4.config.xml"),
        "sphinx4.config.xml is missing from the classpath");
    ConfigurationManager configuration = new ConfigurationManager(config);
    configuration.setGlobalProperty("absoluteBeamWidth", Integer.toString(options.getAbsoluteBeamWidth()));
    configuration.setGlobalProperty("relativeBeamWidth", Double.toString(options.getRelativeBeamWidth()));
    configuration.setGlobalProperty("absoluteWordBeamWidth", Integer.toString(options.getAbsoluteWordBeamWidth()));
    configuration.setGlobalProperty("relativeWordBeamWidth", Double.toString(options.getRelativeWordBeamWidth()));
    configuration.setGlobalProperty("wordInsertionProbability",
        Double.toString(options.getWordInsertionProbability()));
    configuration.setGlobalProperty("languageWeight", Double.toString(options.getLanguageWeight()));
    configuration.setGlobalProperty("featureBlockSize", Integer.toString(options.getInterimFrames()));
    configuration.setGlobalProperty("endSilence", Integer.toString(options.getEndSilenceMs()));
    setModel(configuration, options);
    SphinxDecoder decoder = new SphinxDecoder(configuration);
    decoder.recognizer.allocate();
    return decoder;
  }

  private static void setModel(ConfigurationManager configuration, SphinxOptions options) {
    String acousticModel = options.getAcousticModel();
    set(configuration, "acousticModelLoader->location", acousticModel);
    set(configuration, "dictionary->fillerPath", acousticModel + "/noisedict");
    set(configuration, "dictionary->dictionaryPath", options.getDictionary());
    set(configuration, "dataSource->sampleRate", Integer.toString(SAMPLE_RATE));
    String languageModel = options.getLanguageModel();
    String component = languageModel.endsWith(".bin") ? "trieNgramModel"
        : languageModel.endsWith(".dmp") ? "largeTrigramModel" : "simpleNGramModel";
    set(configuration, component + "->location", languageModel);
    set(configuration, "lexTreeLinguist->languageModel", component);
  }

  private static void set(ConfigurationManager configuration, String property, String value) {
    ConfigurationManagerUtils.setProperty(configuration, property, value);
  }

  /**
   * Decodes {@code audio} until it reports its end, returning each segment's final result to
   * {@code segments} and each interim result to {@code interims}; speech onsets are stream sample
   * numbers counted from the start of {@code audio}. {@code normalisation} is the session's state
   * from its previous stream (null for a new session); the returned one continues it.
   */
  SessionCmn.Snapshot decode(InputStream audio, SessionCmn.Snapshot normalisation, Consumer<Result> segments,
      Consumer<Result> interims, LongConsumer onsets) {
    cmn.restore(normalisation);
    source.setInputStream(audio);
    interim = interims;
    onset.onOnset(onsets);
    try {
      Result result;
      while ((result = recognizer.recognize()) != null) {
        segments.accept(result);
      }
      return cmn.save();
    } finally {
      interim = r -> {
      };
      onset.onOnset(sample -> {
      });
    }
  }

  /** Decodes a clip so that the JIT and Sphinx4's lazy tables are ready, and learns the CMN prior from it. */
  void warmUp(byte[] pcm) {
    decode(new java.io.ByteArrayInputStream(pcm), null, r -> {
    }, r -> {
    }, s -> {
    });
    cmn.keepAsPrior();
  }

  /**
   * The silence that ends a speech segment in the next stream decoded, in milliseconds. Sphinx4
   * reads it only from its configuration, so the marker's field is set directly; the marker
   * derives its frame count from it at each stream's start. Returns false if this Sphinx4 build
   * has no such field (the configured silence then stays).
   */
  boolean endSilence(int ms) {
    if (END_SILENCE_TIME == null) {
      return false;
    }
    try {
      END_SILENCE_TIME.setInt(marker, ms);
      return true;
    } catch (IllegalAccessException e) {
      return false;
    }
  }

  private static java.lang.reflect.Field endSilenceField() {
    try {
      java.lang.reflect.Field field = SpeechMarker.class.getDeclaredField("endSilenceTime");
      field.setAccessible(true);
      return field.getType() == int.class ? field : null;
    } catch (NoSuchFieldException | RuntimeException e) {
      return null;
    }
  }

  /** True when no speech segment is open and the last quarter second was silence: a clean cut. */
  boolean atPause() {
    return !marker.inSpeech() && silence.trailingSilentFrames() >= MARKER_LOOKBACK_FRAMES;
  }

  void deallocate() {
    recognizer.deallocate();
  }
}
