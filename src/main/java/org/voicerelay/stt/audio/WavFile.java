package org.voicerelay.stt.audio;

import io.vertx.core.buffer.Buffer;

/**
 * A RIFF/WAVE recording read into pcm_s16le mono, the one format the rest of the library speaks.
 * Files and test fixtures come in any sample rate and as mono or stereo; stereo is averaged down
 * to mono here so that callers only ever resample. Only 16-bit integer PCM is accepted (plain, or
 * {@code WAVE_FORMAT_EXTENSIBLE} with the PCM sub-format): anything else is refused with a message
 * saying what was found, rather than decoded into noise.
 */
public final class WavFile {

  private static final int FORMAT_PCM = 0x0001;
  private static final int FORMAT_FLOAT = 0x0003;
  private static final int FORMAT_ALAW = 0x0006;
  private static final int FORMAT_MULAW = 0x0007;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;
  private static final long UNKNOWN_LENGTH = 0xFFFFFFFFL;
  /** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE_* GUIDs; bytes 0..1 hold the plain format tag. */
  private static final byte[] SUBFORMAT_GUID_TAIL = {
      0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00,
      0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};
  private static final String SUPPORTED = "supported: 16-bit integer PCM, mono or stereo, any sample rate";

  private final int sampleRate;
  private final int channels;
  private final byte[] pcm;

  private WavFile(int sampleRate, int channels, byte[] pcm) {
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.pcm = pcm;
  }

  /** @throws IllegalArgumentException if the bytes are not a complete WAVE file in a supported format */
  public static WavFile parse(Buffer wav) {
    return parse(wav.getBytes());
  }

  /** @throws IllegalArgumentException if the bytes are not a complete WAVE file in a supported format */
  public static WavFile parse(byte[] wav) {
    if (wav.length < 12 || !fourCc(wav, 0).equals("RIFF") || !fourCc(wav, 8).equals("WAVE")) {
      throw new IllegalArgumentException("not a RIFF/WAVE file (starts with "
          + printable(wav, 0, Math.min(12, wav.length)) + "); " + SUPPORTED);
    }
    Format format = null;
    int offset = 12;
    while (offset + 8 <= wav.length) {
      String id = fourCc(wav, offset);
      long size = uint32(wav, offset + 4);
      int body = offset + 8;
      if (id.equals("fmt ")) {
        requirePresent(wav, id, body, size);
        format = Format.read(wav, body, (int) size);
      } else if (id.equals("data")) {
        if (format == null) {
          throw new IllegalArgumentException("WAVE data chunk comes before any fmt chunk");
        }
        if (size == UNKNOWN_LENGTH) {
          size = wav.length - body;
        }
        requirePresent(wav, id, body, size);
        return new WavFile(format.sampleRate, format.channels, format.toMono(wav, body, (int) size));
      }
      offset = Math.toIntExact(Math.min(Integer.MAX_VALUE, body + size + (size & 1)));
    }
    throw new IllegalArgumentException(format == null
        ? "WAVE file has no fmt chunk (truncated?)"
        : "WAVE file has no data chunk (truncated?)");
  }

  /** The file's sample rate in Hz. */
  public int sampleRate() {
    return sampleRate;
  }

  /** The file's channel count before the downmix (1 or 2). */
  public int channels() {
    return channels;
  }

  /** The audio as pcm_s16le mono at {@link #sampleRate()}; the caller owns the array. */
  public byte[] pcm() {
    return pcm;
  }

  public double durationSeconds() {
    return pcm.length / 2.0 / sampleRate;
  }

  private static void requirePresent(byte[] wav, String id, int body, long size) {
    if (body + size > wav.length) {
      throw new IllegalArgumentException("truncated WAVE file: the '" + id.trim() + "' chunk declares "
          + size + " bytes but " + (wav.length - body) + " follow");
    }
  }

  private static String fourCc(byte[] b, int at) {
    return new String(b, at, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static String printable(byte[] b, int from, int to) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = from; i < to; i++) {
      int c = b[i] & 0xff;
      out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
    }
    return out.append('"').toString();
  }

  private static int uint16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  private static long uint32(byte[] b, int at) {
    return (uint16(b, at) | (long) uint16(b, at + 2) << 16) & 0xFFFFFFFFL;
  }

  private record Format(int sampleRate, int channels) {

    static Format read(byte[] b, int at, int size) {
      if (size < 16) {
        throw new IllegalArgumentException("WAVE fmt chunk is " + size + " bytes, expected at least 16");
      }
      int tag = uint16(b, at);
      int channels = uint16(b, at + 2);
      long rate = uint32(b, at + 4);
      int bits = uint16(b, at + 14);
      if (tag == FORMAT_EXTENSIBLE) {
        if (size < 40) {
          throw new IllegalArgumentException("WAVE_FORMAT_EXTENSIBLE fmt chunk is " + size
              + " bytes, expected 40");
        }
        tag = subFormat(b, at + 24);
      }
      if (tag != FORMAT_PCM) {
        throw new IllegalArgumentException("unsupported WAVE encoding: " + describe(tag, bits) + "; " + SUPPORTED);
      }
      if (bits != 16) {
        throw new IllegalArgumentException("unsupported WAVE sample size: " + bits + "-bit PCM; " + SUPPORTED);
      }
      if (channels != 1 && channels != 2) {
        throw new IllegalArgumentException("unsupported WAVE channel count: " + channels + "; " + SUPPORTED);
      }
      if (rate <= 0 || rate > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("invalid WAVE sample rate: " + rate);
      }
      return new Format((int) rate, channels);
    }

    private static int subFormat(byte[] b, int at) {
      for (int i = 0; i < SUBFORMAT_GUID_TAIL.length; i++) {
        if (b[at + 2 + i] != SUBFORMAT_GUID_TAIL[i]) {
          return -1;
        }
      }
      return uint16(b, at);
    }

    private static String describe(int tag, int bits) {
      return switch (tag) {
        case FORMAT_FLOAT -> bits + "-bit IEEE float";
        case FORMAT_ALAW -> "A-law";
        case FORMAT_MULAW -> "mu-law";
        case -1 -> "WAVE_FORMAT_EXTENSIBLE with a non-standard sub-format GUID";
        default -> String.format("compressed or unknown format tag 0x%04x", tag);
      };
    }

    byte[] toMono(byte[] b, int at, int size) {
      int frameBytes = 2 * channels;
      if (size % frameBytes != 0) {
        throw new IllegalArgumentException("truncated WAVE data: " + size + " bytes is not a whole number of "
            + frameBytes + "-byte frames");
      }
      if (channels == 1) {
        return java.util.Arrays.copyOfRange(b, at, at + size);
      }
      byte[] mono = new byte[size / 2];
      for (int in = at, out = 0; out < mono.length; in += 4, out += 2) {
        int left = (short) uint16(b, in);
        int right = (short) uint16(b, in + 2);
        int mixed = (left + right) >> 1;
        mono[out] = (byte) mixed;
        mono[out + 1] = (byte) (mixed >> 8);
      }
      return mono;
    }
  }
}
