package org.voicerelay.stt.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.internal.VertxInternals;
import org.voicerelay.stt.protocol.ProtocolCodec;

/** The hand-written hot-path frame against the JDK's base64 and the JSON the protocol defines. */
class InputAudioFrameTest {

  @Test
  void theHotPathFrameIsTheInputAudioJsonWithStandardBase64() {
    Random random = new Random(1);
    for (int length : new int[] {0, 1, 2, 3, 4, 5, 6, 100, 1599, 1600, 1601, 3200}) {
      byte[] pcm = new byte[length + 7];
      random.nextBytes(pcm);
      String expected = "{\"type\":\"input_audio\",\"audio\":\""
          + Base64.getEncoder().encodeToString(Arrays.copyOfRange(pcm, 3, 3 + length)) + "\"}";
      assertEquals(expected, new String(ProtocolCodec.encodeAudioFrame(pcm, 3, length),
          StandardCharsets.US_ASCII), "length " + length);
      assertEquals(expected, ProtocolCodec.encodeAudio(pcm, 3, length));
      byte[] whole = Arrays.copyOfRange(pcm, 3, 3 + length);
      assertEquals(expected, VertxInternals.textFrame(ProtocolCodec.encodeAudioFrame(whole, 0, whole.length)).textData(), "length " + length);
    }
  }
}
