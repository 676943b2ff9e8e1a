package org.voicerelay.stt.audio;

/**
 * Streaming sample-rate converter for pcm_s16le mono, band-limited with a Hann-windowed sinc
 * kernel so that 48 kHz speech taken to 16 kHz does not fold its upper band onto the speech band
 * (plain linear interpolation does, and recognizers lose words to it).
 *
 * <p>Stateful: feed consecutive blocks of one stream through {@link #process}; a block may have
 * any even length and the output is continuous across blocks. Not thread-safe; one per stream.
 * Equal rates pass through untouched.
 */
public final class Resampler {

  private static final int HALF_TAPS = 12;
  /** Kernel phases tabulated per input sample; the nearest one is used (error below 1/512 sample). */
  private static final int PHASES = 512;

  private final int inRate;
  private final int outRate;
  private final double step;
  private final double cutoff;
  private final double scale;
  /** {@code table[phase][tap]}: the kernel weights for a fractional position, precomputed. */
  private final float[][] table;

  /**
   * The input samples kept for the kernel (the last HALF_TAPS*2 of the previous block, at the
   * front, {@code historyLength} of them) followed by the block being converted. Reused from
   * block to block, as is {@code output}: a stream converts a block every 10-20 ms, and fresh
   * arrays for each were several kilobytes of garbage per write.
   */
  private float[] work = new float[0];
  private int historyLength;
  /** The converted samples of the last {@link #processInto}, valid until the next call. */
  private byte[] output = new byte[0];
  /** Position of the next output sample, in input samples, relative to the history start. */
  private double position;
  private long samplesIn;
  private long samplesOut;

  public Resampler(int inRate, int outRate) {
    if (inRate <= 0 || outRate <= 0) {
      throw new IllegalArgumentException("sample rates must be positive, got " + inRate + " -> " + outRate);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    this.step = (double) inRate / outRate;
    this.cutoff = Math.min(1.0, (double) outRate / inRate) * 0.95;
    this.scale = cutoff;
    this.position = 0;
    this.table = inRate == outRate ? null : buildTable();
  }

  private float[][] buildTable() {
    float[][] t = new float[PHASES + 1][2 * HALF_TAPS];
    for (int phase = 0; phase <= PHASES; phase++) {
      double frac = phase / (double) PHASES;
      for (int j = 0; j < 2 * HALF_TAPS; j++) {
        int k = j - HALF_TAPS + 1;
        t[phase][j] = (float) kernel(frac - k);
      }
    }
    return t;
  }

  public int inRate() {
    return inRate;
  }

  public int outRate() {
    return outRate;
  }

  public boolean isPassThrough() {
    return inRate == outRate;
  }

  /** Converts one block; returns the resampled pcm_s16le bytes (possibly empty). */
  public byte[] process(byte[] pcm, int offset, int length) {
    int converted = processInto(pcm, offset, length); // first: it may replace the output array
    return java.util.Arrays.copyOf(output, converted);
  }

  /**
   * Converts one block into {@link #output()}, which holds the result until the next call, and
   * returns its length in bytes (possibly 0): the same samples as {@link #process}, without an
   * array of its own for each block.
   */
  public int processInto(byte[] pcm, int offset, int length) {
    AudioFormat.requireWholeSamples(length);
    java.util.Objects.checkFromIndexSize(offset, length, pcm.length);
    if (isPassThrough()) {
      if (output.length < length) {
        output = new byte[length];
      }
      System.arraycopy(pcm, offset, output, 0, length);
      return length;
    }
    int n = length / 2;
    samplesIn += n;
    int available = historyLength + n;
    if (work.length < available) {
      work = java.util.Arrays.copyOf(work, available);
    }
    for (int i = 0; i < n; i++) {
      int lo = pcm[offset + 2 * i] & 0xff;
      int hi = pcm[offset + 2 * i + 1];
      work[historyLength + i] = (short) ((hi << 8) | lo);
    }
    // The first output needs HALF_TAPS samples of look-behind; before any history exists the
    // missing ones are silence, which is what the stream had before it began.
    int maxOut = Math.max(0, (int) Math.ceil((available - position) / step) + 1);
    if (output.length < maxOut * 2) {
      output = new byte[maxOut * 2];
    }
    int produced = 0;
    while (position + HALF_TAPS < available) {
      writeSample(output, produced, interpolate(work, available, position));
      produced++;
      position += step;
    }
    samplesOut += produced;
    int keepFrom = Math.min(available, Math.max(0, (int) Math.floor(position) - HALF_TAPS));
    System.arraycopy(work, keepFrom, work, 0, available - keepFrom);
    historyLength = available - keepFrom;
    position -= keepFrom;
    return produced * 2;
  }

  /** The bytes of the last {@link #processInto}, from index 0; overwritten by the next call. */
  public byte[] output() {
    return output;
  }

  public byte[] process(byte[] pcm) {
    return process(pcm, 0, pcm.length);
  }

  /**
   * Emits the samples still held back for the kernel's look-ahead, as if silence followed, and
   * no more than the input's duration accounts for. Call before a flush; the stream goes on.
   */
  public byte[] drain() {
    if (isPassThrough()) {
      return new byte[0];
    }
    long due = samplesIn * outRate / inRate - samplesOut;
    if (due <= 0) {
      return new byte[0];
    }
    // interpolate() reads positions past the history as silence; the history itself stays the
    // real input, so the next block continues exactly where the stream's clock is
    byte[] out = new byte[(int) due * 2];
    for (int i = 0; i < due; i++) {
      writeSample(out, i, interpolate(work, historyLength, position));
      position += step;
    }
    samplesOut += due;
    return out;
  }

  private static void writeSample(byte[] out, int index, double value) {
    int s = (int) Math.round(value);
    if (s > Short.MAX_VALUE) {
      s = Short.MAX_VALUE;
    } else if (s < Short.MIN_VALUE) {
      s = Short.MIN_VALUE;
    }
    out[index * 2] = (byte) s;
    out[index * 2 + 1] = (byte) (s >> 8);
  }

  /** The kernel at position {@code t} over the first {@code length} samples of {@code input} (silence past them). */
  private double interpolate(float[] input, int length, double t) {
    int center = (int) Math.floor(t);
    float[] weights = table[(int) Math.round((t - center) * PHASES)];
    int first = center - HALF_TAPS + 1;
    double sum = 0;
    if (first >= 0 && first + 2 * HALF_TAPS <= length) {
      for (int j = 0; j < 2 * HALF_TAPS; j++) {
        sum += input[first + j] * weights[j];
      }
      return sum;
    }
    for (int j = 0; j < 2 * HALF_TAPS; j++) {
      int k = first + j;
      if (k >= 0 && k < length) {
        sum += input[k] * weights[j];
      }
    }
    return sum;
  }

  private double kernel(double x) {
    double ax = Math.abs(x);
    if (ax >= HALF_TAPS) {
      return 0;
    }
    double window = 0.5 + 0.5 * Math.cos(Math.PI * ax / HALF_TAPS);
    double arg = Math.PI * cutoff * x;
    double sinc = ax < 1e-9 ? 1.0 : Math.sin(arg) / arg;
    return scale * sinc * window;
  }
}
