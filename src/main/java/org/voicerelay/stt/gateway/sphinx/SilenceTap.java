package org.voicerelay.stt.gateway.sphinx;

import edu.cmu.sphinx.frontend.BaseDataProcessor;
import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.DataStartSignal;
import edu.cmu.sphinx.frontend.endpoint.SpeechClassifiedData;

/**
 * Front-end stage between Sphinx4's speech classifier and its speech marker that counts how many
 * 10 ms frames in a row were classified as silence. A decoder may hand over to another session
 * only when this run is longer than the marker's look-back, so that no speech onset is cut.
 * Built by Sphinx4's configuration manager (hence public); not an API.
 */
public final class SilenceTap extends BaseDataProcessor {

  private int trailingSilentFrames;

  @Override
  public Data getData() {
    Data data = getPredecessor().getData();
    if (data instanceof SpeechClassifiedData frame) {
      trailingSilentFrames = frame.isSpeech() ? 0 : trailingSilentFrames + 1;
    } else if (data instanceof DataStartSignal) {
      trailingSilentFrames = 0;
    }
    return data;
  }

  int trailingSilentFrames() {
    return trailingSilentFrames;
  }
}
