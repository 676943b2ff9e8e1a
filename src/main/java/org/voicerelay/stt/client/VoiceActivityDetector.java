package org.voicerelay.stt.client;

import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Tells speech from silence in the audio a stream is written, for the stream's turn hook: at each
 * end of speech the stream sends {@code session.finalize}, so a model that ends an utterance only
 * when the client asks (Speechmatics) gives its final transcript without the caller calling
 * {@link SpeechStream#flush()}. One detector per stream: it keeps state between calls.
 *
 * <p>Called on the stream's context with each accepted write, in order; it must return at once.
 */
public interface VoiceActivityDetector {

  /** A change of state found in the audio. */
  enum Activity { SPEECH_STARTED, SPEECH_ENDED }

  /**
   * Reads the next audio, pcm_s16le mono at {@code sampleRate} (the rate the caller writes), and
   * returns the changes of state within it, in order; usually none.
   */
  List<Activity> process(Buffer pcm, int sampleRate);

  /** The built-in detector, on the energy of 20 ms frames, with its defaults. */
  static VoiceActivityDetector energy() {
    return new EnergyVoiceActivityDetector();
  }
}
