package org.voicerelay.stt.audio;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AudioFormatTest {

  @Test
  void theSampleRateRangeIncludesItsBoundsAndNothingBeyond() {
    assertTrue(AudioFormat.isSupportedSampleRate(8_000));
    assertTrue(AudioFormat.isSupportedSampleRate(192_000));
    assertFalse(AudioFormat.isSupportedSampleRate(7_999));
    assertFalse(AudioFormat.isSupportedSampleRate(192_001));
  }

  @Test
  void anUnsupportedRateIsRefusedNamingTheOptionTheRangeAndTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AudioFormat.requireSupportedSampleRate("inputSampleRate", 96_001 * 2));
    assertEquals("inputSampleRate must be within 8000..192000 Hz, got 192002", e.getMessage());
  }

  @Test
  void anOddNumberOfBytesIsNotWholeSamples() {
    assertDoesNotThrow(() -> AudioFormat.requireWholeSamples(3_200));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AudioFormat.requireWholeSamples(3_201));
    assertEquals("pcm_s16le audio must have an even number of bytes, got 3201", e.getMessage());
  }
}
