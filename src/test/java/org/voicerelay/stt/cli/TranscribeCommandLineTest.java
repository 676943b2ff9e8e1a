package org.voicerelay.stt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TranscribeCommandLineTest {

  @Test
  void optionsThenFilesWithTheDefaultRecordingWhenNoneIsNamed() {
    Transcribe.CommandLine line = Transcribe.parse(new String[] {"--fast", "--model", "m/x", "a.wav", "--", "-b.wav"});
    assertTrue(line.fast());
    assertEquals("m/x", line.model());
    assertEquals(List.of("a.wav", "-b.wav"), line.files());
    assertEquals(List.of(Transcribe.DEFAULT_RECORDING), Transcribe.parse(new String[0]).files());
  }

  @Test
  void helpIsAnswered() {
    assertNull(Transcribe.parse(new String[] {"a.wav", "-h"}).files());
  }

  @Test
  void anUnknownOptionOrAMissingValueIsRefusedWithTheReason() {
    assertEquals("unknown option --slow",
        assertThrows(IllegalArgumentException.class, () -> Transcribe.parse(new String[] {"--slow"})).getMessage());
    assertEquals("--model needs a value",
        assertThrows(IllegalArgumentException.class, () -> Transcribe.parse(new String[] {"--model"})).getMessage());
  }
}
