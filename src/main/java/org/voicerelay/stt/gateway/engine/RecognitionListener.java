package org.voicerelay.stt.gateway.engine;

/** Receives a recognition's results, in order; may be called from any thread. */
public interface RecognitionListener {

  /** Speech began at {@code atSeconds}. */
  default void onSpeechStart(double atSeconds) {
  }

  /** A growing partial hypothesis of the current utterance. */
  void onInterim(Hypothesis hypothesis);

  /** The settled hypothesis of an utterance, at an endpoint or on finalize. */
  void onFinal(Hypothesis hypothesis);

  /** A {@link Recognition#finalizeUtterance()} has been fully served. */
  void onFinalized();

  /** The engine failed; the session cannot go on. */
  void onError(Throwable failure);
}
