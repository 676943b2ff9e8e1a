package org.voicerelay.stt.gateway.sphinx;

import edu.cmu.sphinx.frontend.BaseDataProcessor;
import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.DoubleData;

/**
 * Live cepstral mean normalisation that every session starts from the same point. Sphinx4's
 * {@code LiveCMN} keeps adapting for the life of the front end, so on a shared decoder one
 * session's result depended on the voices of the sessions before it (two decoders fed different
 * session orders gave different hypotheses for the same audio). Here each session starts from the
 * same prior (the mean reached on the warm-up clip), carries its own state from decoder to decoder,
 * and adapts like {@code LiveCMN}: a window of about
 * {@value #WINDOW} frames, refreshed every {@value #SHIFT}-{@value #WINDOW} frames.
 * Built by Sphinx4's configuration manager (hence public); not an API.
 */
public final class SessionCmn extends BaseDataProcessor {

  private static final int WINDOW = 300;
  private static final int SHIFT = 400;
  /** pocketsphinx's {@code -cmninit} for the en-us model (its feat.params); the rest are 0. */
  private static final double[] MODEL_INITIAL_MEAN = {40, 3, -1};

  private double[] prior;
  private double[] mean;
  private double[] sum;
  private int frames;

  @Override
  public Data getData() {
    Data data = getPredecessor().getData();
    if (data instanceof DoubleData frame) {
      normalize(frame.getValues());
    }
    return data;
  }

  /** Makes the current running mean the starting point of every later session. */
  void keepAsPrior() {
    if (mean != null) {
      prior = mean.clone();
    }
  }

  /** The running state, to resume a session later, possibly on another decoder. */
  Snapshot save() {
    return mean == null ? null : new Snapshot(mean.clone(), sum.clone(), frames);
  }

  /** Resumes a session's state, or starts from the prior when {@code snapshot} is null. */
  void restore(Snapshot snapshot) {
    if (snapshot == null) {
      mean = null;
      return;
    }
    mean = snapshot.mean.clone();
    sum = snapshot.sum.clone();
    frames = snapshot.frames;
  }

  record Snapshot(double[] mean, double[] sum, int frames) {
  }

  private void normalize(double[] cepstrum) {
    if (mean == null || mean.length != cepstrum.length) {
      start(cepstrum.length);
    }
    if (cepstrum[0] >= 0) {
      for (int i = 0; i < cepstrum.length; i++) {
        sum[i] += cepstrum[i];
      }
      frames++;
    }
    for (int i = 0; i < cepstrum.length; i++) {
      cepstrum[i] -= mean[i];
    }
    if (frames > SHIFT) {
      for (int i = 0; i < sum.length; i++) {
        mean[i] = sum[i] / frames;
        sum[i] = mean[i] * WINDOW;
      }
      frames = WINDOW;
    }
  }

  private void start(int size) {
    mean = new double[size];
    if (prior != null && prior.length == size) {
      System.arraycopy(prior, 0, mean, 0, size);
    } else {
      System.arraycopy(MODEL_INITIAL_MEAN, 0, mean, 0, Math.min(size, MODEL_INITIAL_MEAN.length));
    }
    sum = new double[size];
    for (int i = 0; i < size; i++) {
      sum[i] = mean[i] * WINDOW;
    }
    frames = WINDOW;
  }
}
