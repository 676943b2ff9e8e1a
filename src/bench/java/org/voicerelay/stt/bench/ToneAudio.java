package org.voicerelay.stt.bench;

import io.vertx.core.buffer.Buffer;
import java.util.zip.CRC32;

/**
 * The client bench's audio: a 440 Hz tone at 16 kHz cut into frames, and the CRC32 a stream's
 * last final must carry for the frames it was written.
 */
final class ToneAudio {

  static final int RATE = 16_000;
  /** One second of the tone: 440 periods fit exactly, so frames cut from it repeat every second. */
  static final byte[] TONE = tone();
  private static final Buffer TONE_BUFFER = Buffer.buffer(TONE);

  private ToneAudio() {
  }

  static Buffer frame(long index, int frameBytes) {
    int perSecond = TONE.length / frameBytes;
    int at = (int) (index % perSecond) * frameBytes;
    // a view of the tone, not a copy (Vert.x 5's getBuffer copies): the frame's production is the
    // application's work, not the client's, and was a quarter of the event loops' samples
    // (peer-bench.mjs passes @livekit/agents views too)
    return TONE_BUFFER.slice(at, at + frameBytes);
  }

  /**
   * Frame {@code index} as an application hands it over: a {@code Buffer} of its own around a fresh
   * copy of the samples (what a decoder or a capture callback gives it), never seen again after the
   * write. The application-style drive ({@code --drive app}) writes these; their allocation is the
   * application's and is what its collector meets, so the bench counts it apart
   * ({@link #freshFrameBytes}).
   */
  static Buffer freshFrame(long index, int frameBytes) {
    int perSecond = TONE.length / frameBytes;
    int at = (int) (index % perSecond) * frameBytes;
    return Buffer.buffer(java.util.Arrays.copyOfRange(TONE, at, at + frameBytes));
  }

  /**
   * Heap bytes one {@link #freshFrame} allocates, measured on the calling thread (the array, the
   * {@code Buffer} and the Netty buffer under it), so a report can tell the driver's allocation from
   * the client's.
   */
  static long freshFrameBytes(int frameBytes) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    Buffer[] keep = new Buffer[1000];
    for (int i = 0; i < keep.length; i++) { // first calls: class loading and the interpreter's own allocation
      keep[i] = freshFrame(i, frameBytes);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < keep.length; i++) {
      keep[i] = freshFrame(i, frameBytes);
    }
    long bytes = threads.getCurrentThreadAllocatedBytes() - before;
    return keep[keep.length - 1].length() > 0 ? bytes / keep.length : 0;
  }

  /** CRC32 of the first {@code frames} frames of the tone. */
  static long expectedChecksum(long frames, int frameBytes) {
    CRC32 crc = new CRC32();
    int perSecond = TONE.length / frameBytes;
    long whole = frames / perSecond;
    for (long s = 0; s < whole; s++) {
      crc.update(TONE);
    }
    crc.update(TONE, 0, (int) (frames % perSecond) * frameBytes);
    return crc.getValue();
  }

  private static byte[] tone() {
    byte[] pcm = new byte[RATE * 2];
    for (int i = 0; i < RATE; i++) {
      short s = (short) Math.round(8000 * Math.sin(2 * Math.PI * 440 * i / RATE));
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    return pcm;
  }
}
