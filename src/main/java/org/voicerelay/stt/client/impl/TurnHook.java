package org.voicerelay.stt.client.impl;

import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.client.VoiceActivityDetector;

/**
 * The stream's turn hook: its voice-activity detector reads every accepted write, and at each end
 * of speech the stream finalizes (the short last chunk and {@code session.finalize}), as
 * LiveKit's clients do for models that end an utterance only when asked. Off without a detector.
 * Confined to the stream's context.
 */
final class TurnHook {

  private static final Logger LOG = LoggerFactory.getLogger(TurnHook.class);

  private final String streamId;
  private final int inputRate;
  private final Runnable finalizeUtterance;
  private VoiceActivityDetector detector;
  private long finalizes;

  TurnHook(String streamId, VoiceActivityDetector detector, int inputRate, Runnable finalizeUtterance) {
    this.streamId = streamId;
    this.detector = detector;
    this.inputRate = inputRate;
    this.finalizeUtterance = finalizeUtterance;
  }

  void detector(VoiceActivityDetector next) {
    detector = next;
  }

  boolean enabled() {
    return detector != null;
  }

  /** Finalizes sent at an end of speech so far. */
  long finalizes() {
    return finalizes;
  }

  /** Audio the stream accepted, at the input rate. */
  void audio(Buffer pcm) {
    VoiceActivityDetector current = detector;
    if (current == null) {
      return;
    }
    boolean ended = false;
    try {
      for (VoiceActivityDetector.Activity activity : current.process(pcm, inputRate)) {
        ended |= activity == VoiceActivityDetector.Activity.SPEECH_ENDED;
      }
    } catch (RuntimeException e) {
      LOG.warn("stream {}: the voice-activity detector failed; the turn hook is off", streamId, e);
      detector = null;
      return;
    }
    if (ended) {
      finalizes++;
      finalizeUtterance.run();
    }
  }
}
