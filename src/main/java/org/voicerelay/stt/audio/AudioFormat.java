package org.voicerelay.stt.audio;

/**
 * The one audio format the module speaks, written down once so that the client's options, the
 * event-bus contract and the local gateway accept and refuse the same audio: pcm_s16le mono (two
 * bytes per sample, little-endian), at a sample rate in {@value #MIN_SAMPLE_RATE} ..
 * {@value #MAX_SAMPLE_RATE} Hz.
 *
 * <p>Why that range: 8 kHz is telephony, the lowest rate speech engines take; 192 kHz is the
 * highest rate of common PCM recordings, so a caller can stream any such file as it is and let
 * the {@link Resampler} bring it to the session rate. The event-bus contract and the gateway's
 * {@code unsupported_sample_rate} error already published this range, so the client (which
 * stopped at 48 kHz) was widened to it rather than the contract narrowed.
 */
public final class AudioFormat {

  /** The only encoding: signed 16-bit little-endian PCM, one channel. */
  public static final String ENCODING = "pcm_s16le";
  public static final int BYTES_PER_SAMPLE = 2;
  public static final int MIN_SAMPLE_RATE = 8_000;
  public static final int MAX_SAMPLE_RATE = 192_000;

  private AudioFormat() {
  }

  public static boolean isSupportedSampleRate(long rate) {
    return rate >= MIN_SAMPLE_RATE && rate <= MAX_SAMPLE_RATE;
  }

  /**
   * Returns {@code rate} if supported.
   *
   * @param name the option's name, for the message
   * @throws IllegalArgumentException naming the option, the range and the value
   */
  public static int requireSupportedSampleRate(String name, int rate) {
    if (!isSupportedSampleRate(rate)) {
      throw new IllegalArgumentException(name + " must be within " + MIN_SAMPLE_RATE + ".." + MAX_SAMPLE_RATE
          + " Hz, got " + rate);
    }
    return rate;
  }

  /** True if {@code bytes} is a whole number of samples, i.e. even. */
  public static boolean isWholeSamples(long bytes) {
    return (bytes & 1) == 0;
  }

  /** The message every layer gives for audio of an odd length. */
  public static String oddLengthMessage(long bytes) {
    return ENCODING + " audio must have an even number of bytes, got " + bytes;
  }

  /**
   * Checks that {@code bytes} is a whole number of samples.
   *
   * @throws IllegalArgumentException with {@link #oddLengthMessage(long)}
   */
  public static void requireWholeSamples(long bytes) {
    if (!isWholeSamples(bytes)) {
      throw new IllegalArgumentException(oddLengthMessage(bytes));
    }
  }
}
