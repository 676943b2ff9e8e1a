package org.voicerelay.stt.gateway;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.voicerelay.stt.internal.VertxInternals;

/**
 * The fast path for the one message a session gets fifty times a second: an {@code input_audio}
 * message written the way clients write it, decoded from its UTF-8 bytes without a String, a JSON
 * parse or a scan.
 */
final class InputAudio {

  private static final byte[] PREFIX = "{\"type\":\"input_audio\",\"audio\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SUFFIX = "\"}".getBytes(StandardCharsets.US_ASCII);

  private InputAudio() {
  }

  /**
   * The decoded audio of {@code utf8} if it is a plain {@code input_audio} message; null for any
   * other message (an escape, another field, bad base64, a byte outside ASCII), which then takes
   * the general path, where it is read or gets its error code.
   */
  static byte[] plain(Buffer utf8) {
    int start = PREFIX.length;
    int end = utf8.length() - SUFFIX.length;
    if (end < start || !hasAt(utf8, 0, PREFIX) || !hasAt(utf8, end, SUFFIX)) {
      return null;
    }
    ByteBuf bytes = VertxInternals.byteBuf(utf8);
    ByteBuffer pcm;
    try {
      // a heap buffer (Vert.x copies frames to the heap) is decoded in place
      pcm = Base64.getDecoder().decode(bytes.nioBuffer(bytes.readerIndex() + start, end - start));
    } catch (IllegalArgumentException e) {
      return null;
    }
    byte[] array = pcm.array();
    int from = pcm.arrayOffset() + pcm.position();
    return from == 0 && pcm.remaining() == array.length ? array : Arrays.copyOfRange(array, from, from + pcm.remaining());
  }

  private static boolean hasAt(Buffer buffer, int at, byte[] expected) {
    for (int i = 0; i < expected.length; i++) {
      if (buffer.getByte(at + i) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
