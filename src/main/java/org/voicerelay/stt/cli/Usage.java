package org.voicerelay.stt.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The usage texts of the programs here, kept as resources beside this class ({@code NAME-usage.txt})
 * so that their scripts in {@code scripts/} print the same text for {@code --help} without a build.
 */
final class Usage {

  private Usage() {
  }

  /** The usage text of a program: {@code gateway}, {@code node} or {@code transcribe}. */
  static String of(String program) {
    String resource = program + "-usage.txt";
    try (InputStream in = Usage.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
