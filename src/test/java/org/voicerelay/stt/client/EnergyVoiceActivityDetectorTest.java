package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.client.VoiceActivityDetector.Activity;

class EnergyVoiceActivityDetectorTest {

  private static final int RATE = 16_000;

  /** {@code ms} of a 440 Hz tone at {@code amplitude}, or silence at 0. */
  private static Buffer tone(int ms, int amplitude) {
    Buffer pcm = Buffer.buffer();
    for (int i = 0; i < RATE * ms / 1000; i++) {
      pcm.appendShortLE((short) (amplitude * Math.sin(2 * Math.PI * 440 * i / RATE)));
    }
    return pcm;
  }

  private static List<Activity> feed(VoiceActivityDetector vad, Buffer pcm, int sliceBytes) {
    List<Activity> all = new ArrayList<>();
    for (int at = 0; at < pcm.length(); at += sliceBytes) {
      all.addAll(vad.process(pcm.getBuffer(at, Math.min(pcm.length(), at + sliceBytes)), RATE));
    }
    return all;
  }

  @Test
  void speechBetweenSilencesStartsAndEndsOnceWhateverTheWriteSizes() {
    Buffer call = Buffer.buffer().appendBuffer(tone(500, 0)).appendBuffer(tone(1000, 8000))
        .appendBuffer(tone(200, 0)).appendBuffer(tone(600, 8000)).appendBuffer(tone(800, 0));
    for (int slice : new int[] {2, 640, 1000, 3202, call.length()}) {
      assertEquals(List.of(Activity.SPEECH_STARTED, Activity.SPEECH_ENDED),
          feed(VoiceActivityDetector.energy(), call, slice), "slices of " + slice + " bytes; a 200 ms pause is not an end");
    }
  }

  @Test
  void aClickAndQuietNoiseAreNotSpeech() {
    Buffer line = Buffer.buffer().appendBuffer(tone(300, 0)).appendBuffer(tone(20, 20000))
        .appendBuffer(tone(1000, 200)).appendBuffer(tone(300, 0));
    assertTrue(feed(VoiceActivityDetector.energy(), line, 640).isEmpty());
  }

  @Test
  void theSettingsAreCheckedNamingTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EnergyVoiceActivityDetector(-40, 60, 5));
    assertTrue(e.getMessage().contains("minSilenceMs"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new EnergyVoiceActivityDetector(3, 60, 500));
    assertTrue(e.getMessage().contains("thresholdDbfs"), e.getMessage());
  }
}
