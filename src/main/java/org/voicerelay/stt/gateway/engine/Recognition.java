package org.voicerelay.stt.gateway.engine;

/**
 * One session's recognition. Audio is pcm_s16le mono at {@link Recognizer#sampleRate()}; times in
 * hypotheses are seconds from the first byte accepted. No method blocks.
 */
public interface Recognition {

  /** Queues audio (even length). The array is owned by the recognition from now on. */
  void accept(byte[] pcm);

  /**
   * Ends the current utterance: the listener receives a final hypothesis for the audio accepted so
   * far that has not yet been finalized (possibly with empty text), then
   * {@link RecognitionListener#onFinalized()}.
   */
  void finalizeUtterance();

  /** Bytes accepted but not yet decoded; the gateway bounds it per session. */
  long pendingBytes();

  /**
   * The session's settings changed ({@code session.update}): engines apply what they can (the
   * end-of-utterance silence from the next utterance on). Returns at once.
   */
  default void update(RecognitionRequest request) {
  }

  /** Stops decoding and frees the engine's resources for this session; pending audio is dropped. */
  void close();
}
