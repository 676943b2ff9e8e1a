package org.voicerelay.stt.cli;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints transcript events as a person reads them (interims rewrite one line, finals stay, a
 * progress figure for long files) or as JSON lines for scripts. Terminal writes can block, so
 * they run in order on a single worker thread, never on the event loop.
 */
final class TranscriptPrinter {

  private final WorkerExecutor worker;
  private final PrintStream out;
  private final boolean json;
  private final boolean terminal;
  private volatile double progress;
  private int interimWidth;

  TranscriptPrinter(Vertx vertx, PrintStream out, boolean json) {
    this.worker = vertx.createSharedWorkerExecutor("transcript-printer", 1);
    this.out = out;
    this.json = json;
    this.terminal = System.console() != null;
  }

  void progress(double fraction) {
    this.progress = fraction;
  }

  void header(String line) {
    if (!json) {
      print(line + System.lineSeparator(), true);
    }
  }

  void event(JsonObject event) {
    if (json) {
      print(event.encode() + System.lineSeparator(), false);
      return;
    }
    String type = event.getString("type", "");
    JsonArray alts = event.getJsonArray("alternatives");
    JsonObject first = alts == null || alts.isEmpty() ? null : alts.getJsonObject(0);
    String text = first == null ? "" : first.getString("text", "");
    switch (type) {
      case "interim_transcript", "preflight_transcript" -> {
        if (terminal) {
          String line = String.format(Locale.ROOT, "[%3.0f%%] … %s", progress * 100, text);
          print("\r" + pad(line), false);
          interimWidth = line.length();
        }
      }
      case "final_transcript" -> {
        if (text.isBlank()) {
          return;
        }
        String line = String.format(Locale.ROOT, "[%6.2f - %6.2f] %s", first.getDouble("startTime", 0.0),
            first.getDouble("endTime", 0.0), text);
        print((terminal ? "\r" + pad(line) : line) + System.lineSeparator(), true);
      }
      case "error", "reconnecting" -> {
        JsonObject error = event.getJsonObject("error", new JsonObject());
        print((terminal ? "\r" + pad("") + "\r" : "") + "! " + type + ": " + error.getString("code")
            + " " + error.getString("message") + System.lineSeparator(), true);
      }
      default -> {
      }
    }
  }

  private String pad(String line) {
    int width = Math.max(interimWidth, line.length());
    StringBuilder b = new StringBuilder(line);
    while (b.length() < width) {
      b.append(' ');
    }
    return b.toString();
  }

  private void print(String text, boolean resetsInterim) {
    if (resetsInterim) {
      interimWidth = 0;
    }
    worker.executeBlocking(() -> {
      out.print(text);
      out.flush();
      return null;
    }, true);
  }

  /** Waits (on the worker's queue) until everything printed so far is out. */
  io.vertx.core.Future<Void> drain() {
    return worker.executeBlocking(() -> {
      out.flush();
      return null;
    }, true);
  }
}
