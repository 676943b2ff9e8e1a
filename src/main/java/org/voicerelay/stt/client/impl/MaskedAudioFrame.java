package org.voicerelay.stt.client.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.voicerelay.stt.protocol.ProtocolCodec;

/**
 * An {@code input_audio} message as a whole client WebSocket frame (RFC 6455 section 5.2): FIN
 * and the text opcode, the masked payload length, the masking key, then the message masked with
 * it, in one pooled direct buffer that Netty writes to the socket as it is.
 *
 * <p>Why: through {@code WebSocket.writeFrame} each 50 ms frame cost a heap array (Vert.x copies a
 * frame's payload to the heap), a second pooled buffer that Netty's frame encoder allocates, and
 * the encoder's masking loop, one bounds-checked virtual {@code writeLong} per eight bytes; at
 * 1000-2000 streams that loop was the hottest code of the event loop. Here the message is
 * encoded once into a per-thread array, masked there eight bytes at a time, and copied once into
 * the frame. The masking key is fresh for every frame, from the same kind of source Netty's
 * client encoder uses ({@code ThreadLocalRandom}).
 */
final class MaskedAudioFrame {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final int OPCODE_TEXT_FINAL = 0x81;
  private static final int MASKED = 0x80;

  private static final FastThreadLocal<byte[][]> PAYLOAD = new FastThreadLocal<>() {
    @Override
    protected byte[][] initialValue() {
      return new byte[1][0];
    }
  };

  private MaskedAudioFrame() {
  }

  /**
   * The frame carrying {@code length} bytes of {@code pcm} from {@code index} (indexes of
   * {@code pcm} unchanged), masked with {@code maskingKey}; the caller owns the returned buffer.
   */
  static ByteBuf encode(ByteBuf pcm, int index, int length, int maskingKey, ByteBufAllocator alloc) {
    int payloadLength = ProtocolCodec.audioFrameLength(length);
    byte[][] holder = PAYLOAD.get();
    if (holder[0].length < payloadLength) {
      holder[0] = new byte[payloadLength];
    }
    byte[] payload = holder[0];
    ProtocolCodec.writeAudioFrame(pcm, index, length, payload);
    mask(payload, payloadLength, maskingKey);
    int lengthBytes = payloadLength < 126 ? 0 : payloadLength <= 0xFFFF ? 2 : 8;
    ByteBuf frame = alloc.directBuffer(2 + lengthBytes + 4 + payloadLength);
    frame.writeByte(OPCODE_TEXT_FINAL);
    if (lengthBytes == 0) {
      frame.writeByte(MASKED | payloadLength);
    } else if (lengthBytes == 2) {
      frame.writeByte(MASKED | 126).writeShort(payloadLength);
    } else {
      frame.writeByte(MASKED | 127).writeLong(payloadLength);
    }
    frame.writeInt(maskingKey);
    frame.writeBytes(payload, 0, payloadLength);
    return frame;
  }

  /** XORs {@code bytes[0, length)} with the key repeated in network byte order (RFC 6455 5.3). */
  static void mask(byte[] bytes, int length, int maskingKey) {
    long key = ((long) maskingKey << 32) | (maskingKey & 0xFFFF_FFFFL);
    int i = 0;
    for (int end = length - 7; i < end; i += 8) {
      LONGS.set(bytes, i, (long) LONGS.get(bytes, i) ^ key);
    }
    for (; i < length; i++) {
      bytes[i] ^= (byte) (maskingKey >>> (24 - 8 * (i & 3)));
    }
  }
}
