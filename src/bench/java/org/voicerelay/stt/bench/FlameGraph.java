package org.voicerelay.stt.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a flame graph (SVG, root at the bottom, width = share of samples) from the collapsed
 * stacks {@link JfrTop} writes, so a profile can be looked at without tools from outside the
 * project. Colours: this project orange, Vert.x violet, Netty blue, the JDK green, the rest grey.
 *
 * <p>Usage: {@code FlameGraph collapsed.txt out.svg [title]}.
 */
public final class FlameGraph {

  private static final int WIDTH = 1200;
  private static final int ROW = 16;
  private static final double MIN_PIXELS = 0.3;

  private static final class Node {
    final Map<String, Node> children = new LinkedHashMap<>();
    long count;
  }

  private FlameGraph() {
  }

  public static void main(String[] args) throws IOException {
    Node root = new Node();
    for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      long count = Long.parseLong(line.substring(space + 1).trim());
      root.count += count;
      Node node = root;
      for (String frame : line.substring(0, space).split(";")) {
        node = node.children.computeIfAbsent(frame, f -> new Node());
        node.count += count;
      }
    }
    int depth = depth(root);
    int height = (depth + 2) * ROW + 30;
    String title = args.length > 2 ? args[2] : "flame graph";
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8))) {
      out.printf(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
          + "font-family=\"monospace\" font-size=\"11\">%n", WIDTH, height);
      out.printf(Locale.ROOT, "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>%n"
          + "<text x=\"%d\" y=\"18\" font-size=\"14\" text-anchor=\"middle\">%s (%d samples)</text>%n",
          WIDTH / 2, escape(title), root.count);
      double scale = (WIDTH - 20) / (double) Math.max(1, root.count);
      draw(out, "all", root, 10, height - ROW - 4, scale, root.count);
      out.println("</svg>");
    }
  }

  private static int depth(Node node) {
    int d = 0;
    for (Node child : node.children.values()) {
      d = Math.max(d, depth(child));
    }
    return d + 1;
  }

  private static void draw(PrintWriter out, String frame, Node node, double x, int y, double scale, long total) {
    double w = node.count * scale;
    if (w < MIN_PIXELS) {
      return;
    }
    String label = String.format(Locale.ROOT, "%s (%.1f%%)", frame, 100.0 * node.count / total);
    out.printf(Locale.ROOT, "<g><title>%s</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
        + "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"0.5\"/>", escape(label), x, y, w, ROW - 1, colour(frame));
    int fits = (int) ((w - 4) / 6.6);
    if (fits >= 4) {
      String text = frame.length() <= fits ? frame : frame.substring(0, fits - 2) + "..";
      out.printf(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>", x + 2, y + ROW - 4, escape(text));
    }
    out.println("</g>");
    double childX = x;
    for (Map.Entry<String, Node> child : sorted(node)) {
      draw(out, child.getKey(), child.getValue(), childX, y - ROW, scale, total);
      childX += child.getValue().count * scale;
    }
  }

  private static List<Map.Entry<String, Node>> sorted(Node node) {
    return node.children.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
  }

  /** The client bench's classes, drawn with the client's code they drive. */
  private static final java.util.regex.Pattern CLIENT_BENCH_FRAMES = java.util.regex.Pattern.compile(
      "(RealTimeMode|FastMode|EndOfUtteranceMode|ClientStreams|TrackedStream|ToneAudio)\\b");

  private static String colour(String frame) {
    int shade = Math.abs(frame.hashCode()) % 40;
    if (frame.startsWith("SpeechStream") || frame.startsWith("ProtocolCodec") || frame.startsWith("AudioFrames")
        || frame.startsWith("FlushCoalescer") || frame.startsWith("ClientBench") || frame.startsWith("AudioChunker")
        || frame.startsWith("TranscriptAssembler") || frame.startsWith("EventQueue") || frame.startsWith("AudioOutbox")
        || CLIENT_BENCH_FRAMES.matcher(frame).lookingAt()) {
      return "rgb(" + (215 + shade / 2) + "," + (120 + shade) + ",40)";
    }
    if (frame.matches("^(Vertx|Context|WebSocket|Http|Promise|Future|Buffer|Outbound|Inbound|Event|Duplicated|Worker|Abstract?Context).*")) {
      return "rgb(" + (150 + shade) + ",110," + (200 + shade / 2) + ")";
    }
    if (frame.matches("^(Netty|Nio|Epoll|Abstract.*Channel|Channel|ByteBuf|Pooled|Adaptive|Unpooled|WebSocket08|SingleThread|FastThreadLocal|Message|Default|CodecOutput).*")) {
      return "rgb(90," + (140 + shade) + ",220)";
    }
    if (frame.matches("^(Thread|Base64|String|Array|Hash|Object|Method|Unsafe|System|Byte|Integer|Long|CRC32|Math).*")) {
      return "rgb(80," + (170 + shade) + ",90)";
    }
    return "rgb(" + (170 + shade) + "," + (170 + shade) + "," + (170 + shade) + ")";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
