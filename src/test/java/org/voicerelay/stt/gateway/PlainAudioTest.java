package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.voicerelay.stt.protocol.ProtocolCodec;

/** The gateway's shortcut for audio frames as clients write them, and what it leaves to the JSON path. */
class PlainAudioTest {

  @Test
  void anAudioFrameAsClientsWriteItDecodesToItsPcm() {
    byte[] pcm = new byte[1600];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (byte) (i * 31);
    }
    assertArrayEquals(pcm, GatewaySession.plainAudio(ProtocolCodec.encodeAudio(pcm, 0, pcm.length)));
    assertArrayEquals(new byte[0], GatewaySession.plainAudio("{\"type\":\"input_audio\",\"audio\":\"\"}"));
  }

  @Test
  void escapesOtherFieldsAndBadBase64AreLeftToTheJsonPath() {
    // valid JSON for the same audio, but not the plain shape: the general path reads these
    assertNull(GatewaySession.plainAudio("{\"type\":\"input_audio\",\"audio\":\"\\u0041AAA\"}"));
    assertNull(GatewaySession.plainAudio("{\"type\":\"input_audio\",\"audio\":\"AAAA\",\"x\":\"y\"}"));
    assertNull(GatewaySession.plainAudio("{\"type\":\"input_audio\",\"audio\":\"AAA\u00e9\"}"));
    assertNull(GatewaySession.plainAudio("{\"type\":\"input_audio\",\"audio\":\"A\"}"));
    assertNull(GatewaySession.plainAudio("{\"type\":\"input_audio\",\"audio\":\"}"));
    assertNull(GatewaySession.plainAudio("{\"type\":\"session.finalize\"}"));
  }
}
