package org.voicerelay.stt.audio;

import java.util.ArrayList;
import java.util.List;

/**
 * Re-cuts a byte stream of pcm_s16le into chunks of exactly {@code chunkBytes} (50 ms at the
 * session rate on the wire), keeping the remainder for the next push; {@link #flush()} hands out
 * the short remainder. Not thread-safe; one per stream.
 */
public final class AudioChunker {

  private final int chunkBytes;
  private byte[] partial;
  private int partialLength;

  public AudioChunker(int chunkBytes) {
    if (chunkBytes <= 0 || !AudioFormat.isWholeSamples(chunkBytes)) {
      throw new IllegalArgumentException("chunkBytes must be a positive even number, got " + chunkBytes);
    }
    this.chunkBytes = chunkBytes;
  }

  /** Bytes in one whole chunk of {@code millis} ms of mono 16-bit audio at {@code sampleRate}. */
  public static int chunkBytes(int sampleRate, int millis) {
    return sampleRate * millis / 1000 * AudioFormat.BYTES_PER_SAMPLE;
  }

  public int chunkBytes() {
    return chunkBytes;
  }

  /** Bytes held back, waiting for a chunk to fill. */
  public int remainder() {
    return partialLength;
  }

  /** Adds audio; returns the whole chunks it completes (possibly none). */
  public List<byte[]> push(byte[] data) {
    List<byte[]> chunks = new ArrayList<>(2);
    int offset = 0;
    if (partialLength > 0) {
      int take = Math.min(chunkBytes - partialLength, data.length);
      System.arraycopy(data, 0, partial, partialLength, take);
      partialLength += take;
      offset = take;
      if (partialLength < chunkBytes) {
        return chunks;
      }
      chunks.add(partial);
      partial = null;
      partialLength = 0;
    }
    while (data.length - offset >= chunkBytes) {
      byte[] chunk = new byte[chunkBytes];
      System.arraycopy(data, offset, chunk, 0, chunkBytes);
      chunks.add(chunk);
      offset += chunkBytes;
    }
    int rest = data.length - offset;
    if (rest > 0) {
      partial = new byte[chunkBytes];
      System.arraycopy(data, offset, partial, 0, rest);
      partialLength = rest;
    }
    return chunks;
  }

  /** The short remainder as a chunk of its own, or null if none is held. */
  public byte[] flush() {
    if (partialLength == 0) {
      return null;
    }
    byte[] last = java.util.Arrays.copyOf(partial, partialLength);
    partial = null;
    partialLength = 0;
    return last;
  }
}
