package org.voicerelay.stt.bench;

/**
 * How the client bench's real-time mode hands audio to the streams ({@code --drive}).
 *
 * <p>{@link #TUNED} is the bench's own economy: one timer per event loop writes every stream of
 * that loop, and each write is a view of one tone buffer, so the figure is the client's cost with
 * as little of the driver's as possible (scripts/bench runs it on ZGC with a fixed 2 GiB heap).
 * {@link #APP} is what an application pays: each stream has its own periodic timer and every write
 * is a freshly allocated {@code Buffer}, and scripts/bench runs that JVM with no flags at all (the
 * default collector and heap, G1 on a server-class machine). The issue that asked for it (26)
 * found the client 1.4 times dearer driven that way at 1000 streams.
 */
enum Drive {
  TUNED,
  APP;

  static Drive of(String name) {
    return switch (name) {
      case "tuned" -> TUNED;
      case "app" -> APP;
      default -> throw new IllegalArgumentException("--drive must be tuned or app, got " + name);
    };
  }

  /** The name on the command line. */
  String option() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
