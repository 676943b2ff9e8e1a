package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.protocol.ProtocolCodec;

/** The gateway's shortcut for audio messages as clients write them (read from their bytes), and what it leaves to the JSON path. */
class PlainAudioTest {

  @Test
  void anAudioFrameAsClientsWriteItDecodesToItsPcm() {
    byte[] pcm = new byte[1600];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (byte) (i * 31);
    }
    assertArrayEquals(pcm, plain(ProtocolCodec.encodeAudio(pcm, 0, pcm.length)));
    assertArrayEquals(new byte[0], plain("{\"type\":\"input_audio\",\"audio\":\"\"}"));
  }

  @Test
  void escapesOtherFieldsAndBadBase64AreLeftToTheJsonPath() {
    // valid JSON for the same audio, but not the plain shape: the general path reads these
    assertNull(plain("{\"type\":\"input_audio\",\"audio\":\"\\u0041AAA\"}"));
    assertNull(plain("{\"type\":\"input_audio\",\"audio\":\"AAAA\",\"x\":\"y\"}"));
    assertNull(plain("{\"type\":\"input_audio\",\"audio\":\"AAA\u00e9\"}"));
    assertNull(plain("{\"type\":\"input_audio\",\"audio\":\"A\"}"));
    assertNull(plain("{\"type\":\"input_audio\",\"audio\":\"}"));
    assertNull(plain("{\"type\":\"session.finalize\"}"));
  }

  @Test
  void theBytesOfAFrameAreReadWhereTheyLieInTheirBuffer() {
    // a frame's bytes need not start at index 0 of their buffer
    Buffer framed = Buffer.buffer("xyz" + ProtocolCodec.encodeAudio(new byte[] {1, 2, 3, 4}, 0, 4));
    assertArrayEquals(new byte[] {1, 2, 3, 4}, InputAudio.plain(framed.slice(3, framed.length())));
  }

  private static byte[] plain(String message) {
    return InputAudio.plain(Buffer.buffer(message));
  }
}
