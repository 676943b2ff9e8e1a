package org.voicerelay.stt.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The {@code input_audio} frame, byte for byte, for any length and any place of the audio. */
class ProtocolCodecTest {

  private static final String PREFIX = "{\"type\":\"input_audio\",\"audio\":\"";

  private static String expected(byte[] pcm, int offset, int length) {
    return PREFIX + Base64.getEncoder().encodeToString(Arrays.copyOfRange(pcm, offset, offset + length)) + "\"}";
  }

  @Test
  void anArrayRangeOfAnyLengthBecomesTheFrameWithStandardPaddedBase64() {
    Random random = new Random(12);
    for (int round = 0; round < 500; round++) {
      int length = round < 8 ? round : random.nextInt(5000);
      int offset = random.nextInt(4);
      byte[] pcm = new byte[offset + length + random.nextInt(4)];
      random.nextBytes(pcm);
      byte[] frame = ProtocolCodec.encodeAudioFrame(pcm, offset, length);
      assertEquals(expected(pcm, offset, length), new String(frame, StandardCharsets.US_ASCII),
          "length " + length + " at " + offset);
      assertEquals(ProtocolCodec.audioFrameLength(length), frame.length);
    }
  }

  @Test
  void aWholeArrayEncodesLikeARangeOfALargerOne() {
    byte[] pcm = new byte[1600];
    new Random(3).nextBytes(pcm);
    byte[] larger = new byte[1603];
    System.arraycopy(pcm, 0, larger, 2, 1600);
    assertArrayEquals(ProtocolCodec.encodeAudioFrame(larger, 2, 1600), ProtocolCodec.encodeAudioFrame(pcm, 0, 1600));
  }

  @Test
  void aPooledDirectBufferBecomesTheFrameWithoutMovingTheSource() {
    Random random = new Random(7);
    PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    for (int round = 0; round < 300; round++) {
      int length = random.nextInt(4000);
      byte[] pcm = new byte[length + 5];
      random.nextBytes(pcm);
      ByteBuf source = alloc.directBuffer(pcm.length).writeBytes(pcm);
      byte[] out = new byte[ProtocolCodec.audioFrameLength(length) + 3];
      java.util.Arrays.fill(out, (byte) 'x');
      try {
        ProtocolCodec.writeAudioFrame(source, 5, length, out);
        assertEquals(expected(pcm, 5, length) + "xxx", new String(out, StandardCharsets.US_ASCII), "length " + length);
        assertEquals(expected(pcm, 5, length),
            new String(ProtocolCodec.encodeAudioFrame(source, 5, length), StandardCharsets.US_ASCII));
        assertEquals(0, source.readerIndex());
        assertEquals(pcm.length, source.writerIndex());
      } finally {
        source.release();
      }
    }
  }

  @Test
  void theFrameDecodesToTheSameAudioThroughTheJsonMapper() throws Exception {
    byte[] pcm = new byte[3201];
    new Random(9).nextBytes(pcm);
    JsonNode node = ProtocolCodec.readObject(ProtocolCodec.encodeAudio(pcm, 1, 3200));
    assertEquals("input_audio", node.get("type").asText());
    assertArrayEquals(Arrays.copyOfRange(pcm, 1, 3201), node.get("audio").binaryValue());
  }

  @Test
  void aRangeOutsideTheArrayIsRefused() {
    assertThrows(IndexOutOfBoundsException.class, () -> ProtocolCodec.encodeAudioFrame(new byte[10], 8, 4));
  }

  @Test
  void aGatewayFrameReadsToTheSameMessageAsThroughTheTree() throws Exception {
    for (String text : new String[] {
        "{\"type\":\"final_transcript\",\"session_id\":\"s1\",\"transcript\":\"frames 100 bytes 160000\","
            + "\"language\":\"en\",\"start\":0.0,\"duration\":5.0,\"confidence\":1.0,\"words\":[],"
            + "\"extra\":{\"frames\":100,\"totalChecksum\":4023233417,\"nested\":{\"a\":[1,2.5]}}}",
        "{\"type\":\"interim_transcript\",\"transcript\":\"frames 20\",\"unknown_field\":{\"x\":1}}",
        "{\"type\":\"error\",\"code\":2007,\"message\":\"inactive\"}",
        "{\"type\":\"something_new\"}"}) {
      ServerMessage viaTree = ProtocolCodec.mapper().treeToValue(ProtocolCodec.readObject(text), ServerMessage.class);
      assertEquals(viaTree, ProtocolCodec.decodeServerMessage(text), text);
    }
  }

  @Test
  void aNumberWhereTheGatewaySendsTextIsStillReadAsText() {
    assertEquals("5", ProtocolCodec.decodeServerMessage("{\"type\":\"final_transcript\",\"transcript\":5}").transcript());
  }

  @Test
  void aFrameThatIsNotTheProtocolIsRefusedWithWhatIsWrong() {
    assertEquals("frame has no string \"type\"", assertThrows(ProtocolException.class,
        () -> ProtocolCodec.decodeServerMessage("{\"type\":5}")).getMessage());
    assertEquals("frame has no string \"type\"", assertThrows(ProtocolException.class,
        () -> ProtocolCodec.decodeServerMessage("{\"transcript\":\"x\"}")).getMessage());
    assertEquals("frame is not a JSON object", assertThrows(ProtocolException.class,
        () -> ProtocolCodec.decodeServerMessage("[1,2]")).getMessage());
    assertEquals("frame is not a JSON object", assertThrows(ProtocolException.class,
        () -> ProtocolCodec.decodeServerMessage("null")).getMessage());
    assertTrue(assertThrows(ProtocolException.class, () -> ProtocolCodec.decodeServerMessage("nope"))
        .getMessage().startsWith("frame is not JSON"));
    assertTrue(assertThrows(ProtocolException.class,
        () -> ProtocolCodec.decodeServerMessage("{\"type\":\"final_transcript\",\"start\":\"soon\"}"))
        .getMessage().startsWith("malformed final_transcript frame"));
  }
}
