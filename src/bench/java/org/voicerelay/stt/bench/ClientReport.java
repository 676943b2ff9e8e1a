package org.voicerelay.stt.bench;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The client bench's printed lines: one side's figures (this project's or the Node peer's, the same
 * JSON keys) and the {@code RATIO} lines that compare them.
 */
final class ClientReport {

  private ClientReport() {
  }

  static void print(String who, JsonObject r) {
    System.out.println(who + ": " + r.getString("work", ""));
    if (r.containsKey("error")) {
      System.out.println("  error: " + r.getString("error"));
      return;
    }
    if (r.containsKey("xRealTime")) {
      System.out.printf(Locale.ROOT, "  %.0fx real time (%.2f s wall for %.0f audio seconds)%n",
          r.getDouble("xRealTime"), r.getDouble("wallSeconds"), r.getDouble("audioSeconds"));
    }
    if (r.containsKey("eventLoopMsPerAudioSecond")) {
      System.out.printf(Locale.ROOT, "  CPU per audio second %.3f ms = event loops %.3f + other Java threads %.3f"
              + " + GC and VM %.3f (%.0f%% of the process); %d collections, %d ms paused%n",
          r.getDouble("cpuMsPerAudioSecond"), r.getDouble("eventLoopMsPerAudioSecond"),
          r.getDouble("otherThreadsMsPerAudioSecond"), r.getDouble("gcVmMsPerAudioSecond"),
          100 * r.getDouble("gcVmShare"), r.getLong("gcCollections"), r.getLong("gcPauseMs"));
    } else if (r.containsKey("cpuMsPerAudioSecond")) {
      System.out.printf(Locale.ROOT, "  CPU per audio second %.3f ms (whole process)%n", r.getDouble("cpuMsPerAudioSecond"));
    }
    if (r.containsKey("eventLoopAllocatedBytesPerAudioSecond")) {
      double loops = r.getDouble("eventLoopAllocatedBytesPerAudioSecond");
      String driver = r.containsKey("driverAllocatedBytesPerAudioSecond")
          ? String.format(Locale.ROOT, " (the driver's fresh frames %.0f of it, the rest %.0f)",
              r.getDouble("driverAllocatedBytesPerAudioSecond"), loops - r.getDouble("driverAllocatedBytesPerAudioSecond"))
          : "";
      System.out.printf(Locale.ROOT, "  heap allocated per audio second: event loops %.0f bytes%s; all Java threads %.0f bytes%n",
          loops, driver, r.getDouble("allocatedBytesPerAudioSecond"));
    }
    if (r.containsKey("threadKindsMsPerAudioSecond")) {
      StringBuilder kinds = new StringBuilder();
      r.getJsonObject("threadKindsMsPerAudioSecond").forEach(e -> kinds.append(String.format(Locale.ROOT,
          "%s%s %.3f", kinds.length() == 0 ? "" : ", ", e.getKey(), ((Number) e.getValue()).doubleValue())));
      System.out.println("  by thread kind (/proc, 10 ms ticks), ms per audio second: " + kinds);
    }
    if (r.containsKey("eouSamples")) {
      if (r.getInteger("eouSamples", 0) == 0) {
        System.out.println("  end of utterance (session.finalize at the gateway -> final delivered): no sample"
            + " (no final answered a finalize in time)");
      } else {
        System.out.printf(Locale.ROOT, "  end of utterance (session.finalize at the gateway -> final delivered): p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)%n",
            number(r, "eouP50Ms"), number(r, "eouP99Ms"), number(r, "eouMaxMs"), r.getInteger("eouSamples", 0));
      }
    }
    if (r.containsKey("maxLagMs")) {
      System.out.printf(Locale.ROOT, "  keeps real time: %s (max write lag %.1f ms, max buffered %d bytes)%n",
          r.getBoolean("keepsRealTime", false) ? "yes" : "NO", r.getDouble("maxLagMs"),
          r.getLong("maxBufferedBytes", -1L));
    }
    System.out.printf(Locale.ROOT, "  %sstreams whose last final counts every byte (CRC32): %d of %d%s%n",
        r.containsKey("finals") ? "finals: " + r.getLong("finals") + "; " : "",
        r.getInteger("streamsWithEveryByte", 0), r.getInteger("streams", 0),
        r.containsKey("endToLastFinalMs") ? String.format(Locale.ROOT, "; end -> all closed %.0f ms",
            r.getDouble("endToLastFinalMs")) : "");
  }

  /** The number under {@code key}, or NaN when it is missing or null (a peer with no sample). */
  static double number(JsonObject r, String key) {
    return r.getValue(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** {@code FLOOR RATIO}: this project's figure over the floor's (1.0x costs what the floor costs). */
  static void floorRatio(String what, double ours, double floor) {
    if (Double.isNaN(ours) || Double.isNaN(floor) || floor == 0) {
      System.out.printf(Locale.ROOT, "FLOOR RATIO %s: none (a side has no figure)%n", what);
      return;
    }
    System.out.printf(Locale.ROOT, "FLOOR RATIO %s: %.3f / %.3f = %.2fx of the floor%n", what, ours, floor, ours / floor);
  }

  static void ratio(String what, double numerator, double denominator) {
    if (Double.isNaN(numerator) || Double.isNaN(denominator) || denominator == 0) {
      System.out.printf(Locale.ROOT, "RATIO %s: none (a side has no figure)%n", what);
      return;
    }
    System.out.printf(Locale.ROOT, "RATIO %s: %.1fx in favour of this project%n", what, numerator / denominator);
  }
}
