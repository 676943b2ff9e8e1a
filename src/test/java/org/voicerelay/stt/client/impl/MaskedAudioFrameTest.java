package org.voicerelay.stt.client.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.protocol.ProtocolCodec;

/** The client's own audio frames, read back by Netty's server-side decoder, which insists on masking. */
class MaskedAudioFrameTest {

  private static String decodedByAServer(ByteBuf frame) {
    EmbeddedChannel server = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(true).allowMaskMismatch(false).maxFramePayloadLength(1 << 20).build()));
    assertTrue(server.writeInbound(frame), "a frame came out");
    TextWebSocketFrame text = server.readInbound();
    try {
      assertTrue(text.isFinalFragment());
      return text.text();
    } finally {
      text.release();
      server.finishAndReleaseAll();
    }
  }

  @Test
  void everyPayloadLengthEncodingDecodesToTheProtocolsAudioMessage() {
    Random random = new Random(42);
    // payloads of 34 bytes (7-bit length), 2 166 (16-bit: a 50 ms frame) and 80 034 (64-bit)
    for (int pcmLength : new int[] {0, 2, 64, 1600, 60_000}) {
      byte[] pcm = new byte[pcmLength + 6];
      random.nextBytes(pcm);
      ByteBuf source = Unpooled.wrappedBuffer(pcm);
      ByteBuf frame = MaskedAudioFrame.encode(source, 3, pcmLength, random.nextInt(), PooledByteBufAllocator.DEFAULT);
      assertEquals(ProtocolCodec.encodeAudio(pcm, 3, pcmLength), decodedByAServer(frame), "pcm length " + pcmLength);
      assertEquals(0, source.readerIndex(), "the source's indexes do not move");
    }
  }

  @Test
  void theHeaderIsAFinalMaskedTextFrameWithTheKeyInNetworkOrder() {
    ByteBuf frame = MaskedAudioFrame.encode(Unpooled.wrappedBuffer(new byte[1600]), 0, 1600, 0x01020304,
        PooledByteBufAllocator.DEFAULT);
    try {
      int payload = ProtocolCodec.audioFrameLength(1600);
      assertEquals(0x81, frame.getUnsignedByte(0), "FIN, text");
      assertEquals(0x80 | 126, frame.getUnsignedByte(1), "masked, 16-bit length");
      assertEquals(payload, frame.getUnsignedShort(2));
      assertEquals(0x01020304, frame.getInt(4));
      assertEquals(8 + payload, frame.readableBytes());
      assertEquals('{' ^ 0x01, frame.getUnsignedByte(8), "the first payload byte masked with the key's first byte");
    } finally {
      frame.release();
    }
  }

  @Test
  void maskingEightBytesAtATimeEqualsMaskingByteByByte() {
    Random random = new Random(7);
    for (int length = 0; length < 40; length++) {
      byte[] bytes = new byte[length + 3];
      random.nextBytes(bytes);
      int key = random.nextInt();
      byte[] expected = bytes.clone();
      for (int i = 0; i < length; i++) {
        expected[i] ^= (byte) (key >>> (24 - 8 * (i % 4)));
      }
      MaskedAudioFrame.mask(bytes, length, key);
      assertArrayEquals(expected, bytes, "length " + length);
    }
  }
}
