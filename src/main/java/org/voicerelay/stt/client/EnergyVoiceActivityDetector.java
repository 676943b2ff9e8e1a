package org.voicerelay.stt.client;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A voice-activity detector on the energy of 20 ms frames: a frame louder than
 * {@code thresholdDbfs} is speech; speech starts after {@code minSpeechMs} of speech frames in a
 * row and ends after {@code minSilenceMs} of quieter ones. Cheap (one pass over the samples, no
 * allocation on a frame without a change) and good enough for clean close-talk audio; a noisy
 * line wants a threshold above its noise floor, or a detector of your own.
 */
public final class EnergyVoiceActivityDetector implements VoiceActivityDetector {

  /** Louder than this is speech: 40 dB under full scale, well above the silence of a clean line. */
  public static final double DEFAULT_THRESHOLD_DBFS = -40;
  /** Speech this long starts an utterance, so a click does not. */
  public static final int DEFAULT_MIN_SPEECH_MS = 60;
  /** Silence this long ends one: longer than the pauses inside a sentence, as LiveKit's VAD has it. */
  public static final int DEFAULT_MIN_SILENCE_MS = 550;

  private static final int FRAME_MS = 20;

  private final double threshold;
  private final int speechFrames;
  private final int silenceFrames;

  private int rate;
  private int frameSamples;
  private double sumOfSquares;
  private int samplesInFrame;
  private int loudRun;
  private int quietRun;
  private boolean speaking;

  public EnergyVoiceActivityDetector() {
    this(DEFAULT_THRESHOLD_DBFS, DEFAULT_MIN_SPEECH_MS, DEFAULT_MIN_SILENCE_MS);
  }

  public EnergyVoiceActivityDetector(double thresholdDbfs, int minSpeechMs, int minSilenceMs) {
    if (!(thresholdDbfs < 0 && thresholdDbfs > -120)) {
      throw new IllegalArgumentException("thresholdDbfs must be in (-120, 0), got " + thresholdDbfs);
    }
    if (minSpeechMs < FRAME_MS) {
      throw new IllegalArgumentException("minSpeechMs must be >= " + FRAME_MS + ", got " + minSpeechMs);
    }
    if (minSilenceMs < FRAME_MS) {
      throw new IllegalArgumentException("minSilenceMs must be >= " + FRAME_MS + ", got " + minSilenceMs);
    }
    this.threshold = Math.pow(10, thresholdDbfs / 20) * 32768;
    this.speechFrames = minSpeechMs / FRAME_MS;
    this.silenceFrames = minSilenceMs / FRAME_MS;
  }

  /** Whether the detector is inside speech now. */
  public boolean speaking() {
    return speaking;
  }

  @Override
  public List<Activity> process(Buffer pcm, int sampleRate) {
    if (sampleRate != rate) {
      rate = sampleRate;
      frameSamples = Math.max(1, sampleRate * FRAME_MS / 1000);
      sumOfSquares = 0;
      samplesInFrame = 0;
    }
    List<Activity> changes = List.of();
    for (int i = 0; i + 1 < pcm.length(); i += 2) {
      double sample = pcm.getShortLE(i);
      sumOfSquares += sample * sample;
      if (++samplesInFrame == frameSamples) {
        Activity change = frame(Math.sqrt(sumOfSquares / frameSamples) > threshold);
        sumOfSquares = 0;
        samplesInFrame = 0;
        if (change != null) {
          changes = changes.isEmpty() ? new ArrayList<>(2) : changes;
          changes.add(change);
        }
      }
    }
    return changes;
  }

  private Activity frame(boolean loud) {
    loudRun = loud ? loudRun + 1 : 0;
    quietRun = loud ? 0 : quietRun + 1;
    if (!speaking && loudRun >= speechFrames) {
      speaking = true;
      return Activity.SPEECH_STARTED;
    }
    if (speaking && quietRun >= silenceFrames) {
      speaking = false;
      return Activity.SPEECH_ENDED;
    }
    return null;
  }
}
