package org.voicerelay.stt.gateway.sphinx;

import edu.cmu.sphinx.frontend.BaseDataProcessor;
import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.DoubleData;
import edu.cmu.sphinx.frontend.endpoint.SpeechStartSignal;
import java.util.function.LongConsumer;

/**
 * Front-end stage after Sphinx4's speech marker that reports where each speech segment begins, as
 * the stream sample number of its first frame (the marker's signal carries only a wall-clock time).
 * Built by Sphinx4's configuration manager (hence public); not an API.
 */
public final class SpeechOnsetTap extends BaseDataProcessor {

  private LongConsumer onset = sample -> {
  };
  private boolean awaitingFirstFrame;

  @Override
  public Data getData() {
    Data data = getPredecessor().getData();
    if (data instanceof SpeechStartSignal) {
      awaitingFirstFrame = true;
    } else if (awaitingFirstFrame && data instanceof DoubleData frame) {
      awaitingFirstFrame = false;
      onset.accept(frame.getFirstSampleNumber());
    }
    return data;
  }

  void onOnset(LongConsumer onset) {
    this.onset = onset;
    awaitingFirstFrame = false;
  }
}
