package org.voicerelay.stt.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads the {@code jdk.ExecutionSample} events of a JFR recording and prints where the CPU went:
 * the hottest top frames (self), the hottest frames anywhere on the stack (inclusive), and the
 * innermost frame of this project per sample; with {@code --collapsed FILE} also writes the
 * stacks in the collapsed form that {@link FlameGraph} draws.
 *
 * <p>Usage: {@code JfrTop recording.jfr [--threads vert.x-eventloop] [--lines 25] [--collapsed out.txt]}.
 */
public final class JfrTop {

  private JfrTop() {
  }

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    String threadPrefix = "";
    int lines = 25;
    Path collapsedOut = null;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--threads" -> threadPrefix = args[i + 1];
        case "--lines" -> lines = Integer.parseInt(args[i + 1]);
        case "--collapsed" -> collapsedOut = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> ours = new HashMap<>();
    Map<String, Integer> collapsed = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      String thread = event.getThread("sampledThread") == null ? "" : event.getThread("sampledThread").getJavaName();
      if (thread == null || !thread.startsWith(threadPrefix)) {
        continue;
      }
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = stack.getFrames();
      self.merge(name(frames.get(0)), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        if (seen.add(name(f))) {
          inclusive.merge(name(f), 1, Integer::sum);
        }
      }
      for (RecordedFrame f : frames) {
        if (f.getMethod().getType().getName().startsWith("org.voicerelay")) {
          ours.merge(name(f), 1, Integer::sum);
          break;
        }
      }
      StringBuilder line = new StringBuilder();
      for (int i = frames.size() - 1; i >= 0; i--) {
        line.append(name(frames.get(i)));
        if (i > 0) {
          line.append(';');
        }
      }
      collapsed.merge(line.toString(), 1, Integer::sum);
    }
    System.out.printf(Locale.ROOT, "%d execution samples%s%n", samples,
        threadPrefix.isEmpty() ? "" : " on threads " + threadPrefix + "*");
    table("self (top frame)", self, samples, lines);
    table("inclusive (anywhere on the stack)", inclusive, samples, lines);
    table("innermost project frame", ours, samples, lines);
    if (collapsedOut != null) {
      try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(collapsedOut, StandardCharsets.UTF_8))) {
        collapsed.forEach((stackLine, count) -> out.println(stackLine + " " + count));
      }
    }
  }

  private static String name(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }

  private static void table(String title, Map<String, Integer> counts, int samples, int lines) {
    System.out.println();
    System.out.println("| " + title + " | % |");
    System.out.println("| --- | ---: |");
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort((a, b) -> b.getValue() - a.getValue());
    for (int i = 0; i < Math.min(lines, sorted.size()); i++) {
      System.out.printf(Locale.ROOT, "| `%s` | %.1f |%n", sorted.get(i).getKey(),
          sorted.get(i).getValue() * 100.0 / Math.max(1, samples));
    }
  }
}
