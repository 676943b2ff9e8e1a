package org.voicerelay.stt.gateway.engine;

/**
 * An offline speech engine behind the local gateway. One instance serves every gateway session of
 * a process: models load once, sessions are cheap.
 *
 * <p>Threading contract: {@link #open} and every {@link Recognition} method are called on a Vert.x
 * event loop and must return at once; an engine that decodes slowly queues the work on threads of
 * its own. Listener callbacks may come from any thread, in order per recognition; the gateway hops
 * back onto its context.
 */
public interface Recognizer extends AutoCloseable {

  /** A short name for logs and metrics ({@code sphinx4}, {@code counting}). */
  String name();

  /** The sample rate the engine wants; the gateway resamples the session's audio to it. */
  int sampleRate();

  /**
   * Whether the engine can recognise {@code language} (a BCP 47 tag such as {@code en} or
   * {@code en-US}); a session asking for another gets an error rather than silence.
   */
  default boolean recognizes(String language) {
    return true;
  }

  /** The languages the engine recognises, for error messages ({@code "any"} if it does not care). */
  default String languages() {
    return "any";
  }

  Recognition open(RecognitionRequest request, RecognitionListener listener);

  @Override
  void close();
}
