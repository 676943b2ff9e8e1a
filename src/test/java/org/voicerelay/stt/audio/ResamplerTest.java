package org.voicerelay.stt.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Sample-rate conversion across block boundaries and flushes. */
class ResamplerTest {

  private static byte[] tone(int rate, double seconds) {
    int n = (int) (rate * seconds);
    byte[] pcm = new byte[n * 2];
    for (int i = 0; i < n; i++) {
      short s = (short) (8000 * Math.sin(2 * Math.PI * 300 * i / rate));
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    return pcm;
  }

  private static short sample(byte[] pcm, int i) {
    return (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void blocksOfAnySizeGiveTheSameOutputAsOneBlock() {
    byte[] input = tone(44_100, 1.0);
    Resampler whole = new Resampler(44_100, 16_000);
    byte[] expected = concat(whole.process(input), whole.drain());
    Resampler pieces = new Resampler(44_100, 16_000);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int off = 0; off < input.length; off += 882) {
      out.writeBytes(pieces.process(Arrays.copyOfRange(input, off, Math.min(input.length, off + 882))));
    }
    out.writeBytes(pieces.drain());
    assertArrayEquals(expected, out.toByteArray());
    assertEquals(16_000 * 2, expected.length, "one second in, one second out");
  }

  @Test
  void aFlushMidStreamDoesNotShiftTheAudioThatFollows() {
    byte[] input = tone(48_000, 1.0);
    int half = input.length / 2;
    Resampler straight = new Resampler(48_000, 16_000);
    byte[] reference = concat(straight.process(input), straight.drain());
    Resampler flushed = new Resampler(48_000, 16_000);
    byte[] out = concat(flushed.process(Arrays.copyOfRange(input, 0, half)), flushed.drain(),
        flushed.process(Arrays.copyOfRange(input, half, input.length)), flushed.drain());
    assertEquals(reference.length, out.length, "a flush adds and loses no samples");
    int boundary = 8_000;
    for (int i = 0; i < reference.length / 2; i++) {
      if (Math.abs(i - boundary) > 8) {
        assertTrue(Math.abs(sample(reference, i) - sample(out, i)) <= 1,
            "sample " + i + " moved: " + sample(reference, i) + " vs " + sample(out, i));
      }
    }
  }

  @Test
  void blocksThatGrowAndShrinkGiveTheSameOutputAsOneBlockThroughReusedArrays() {
    byte[] input = tone(48_000, 1.0);
    Resampler whole = new Resampler(48_000, 16_000);
    byte[] expected = concat(whole.process(input), whole.drain());
    // 10, 20, 5, 60, 1, 40 ms ...: the working array grows with the history kept at its front
    int[] blockMs = {10, 20, 5, 60, 1, 40, 20, 20, 3, 100};
    Resampler pieces = new Resampler(48_000, 16_000);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int off = 0;
    for (int i = 0; off < input.length; i++) {
      int len = Math.min(input.length - off, 48 * 2 * blockMs[i % blockMs.length]);
      int n = pieces.processInto(input, off, len);
      out.write(pieces.output(), 0, n);
      off += len;
    }
    out.writeBytes(pieces.drain());
    assertArrayEquals(expected, out.toByteArray());
  }
}
