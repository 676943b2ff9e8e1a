package org.voicerelay.stt.bench;

import static org.voicerelay.stt.bench.ToneAudio.RATE;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client bench as fast as possible: every stream writes its audio as flow control lets it
 * ({@code writeQueueFull}/{@code drainHandler}), then ends; the time is from the first open to the
 * last stream's final covering all its bytes. Passes are repeated for the warm-up first, on (a
 * minute at most) while the JIT compiler still takes more than a tenth of the process's CPU.
 */
final class FastMode {

  private FastMode() {
  }

  static JsonObject run(ClientStreams streams, int n, int frameMs, int warmup, int audioSeconds) throws Exception {
    long warmupEnd = System.nanoTime() + warmup * 1_000_000_000L;
    long giveUp = warmupEnd + 60_000_000_000L;
    int passes = 0;
    boolean compiling;
    do {
      CpuSnapshot a = CpuSnapshot.take();
      pass(streams, n, frameMs, audioSeconds, null, null);
      CpuSnapshot b = CpuSnapshot.take();
      compiling = CpuSnapshot.compiling(a, b);
      passes++;
    } while (System.nanoTime() < warmupEnd || (compiling && System.nanoTime() < giveUp));
    CpuSnapshot before = CpuSnapshot.take();
    JsonObject result = new JsonObject();
    long t0 = System.nanoTime();
    pass(streams, n, frameMs, audioSeconds, result, before);
    double wall = (System.nanoTime() - t0) / 1e9;
    double audio = (double) n * audioSeconds;
    return result.put("work", n + " streams x " + audioSeconds + " s as fast as possible, " + frameMs
            + " ms writes, after " + passes + " warm-up passes")
        .put("wallSeconds", wall).put("xRealTime", audio / wall);
  }

  private static void pass(ClientStreams streams, int n, int frameMs, int audioSeconds, JsonObject result,
      CpuSnapshot before) throws Exception {
    int frameBytes = RATE * frameMs / 1000 * 2;
    long total = audioSeconds * 1000L / frameMs;
    CountDownLatch covered = new CountDownLatch(n);
    List<TrackedStream> all = streams.open(n, tracked -> {
      tracked.expectedBytes = total * frameBytes;
      tracked.onCovered = covered::countDown;
      tracked.pump(total, frameBytes);
    });
    if (!covered.await(300, TimeUnit.SECONDS)) {
      throw new IllegalStateException(covered.getCount() + " streams without a final covering their audio");
    }
    if (result != null) {
      CpuSnapshot after = CpuSnapshot.take();
      result.mergeIn(CpuSnapshot.perAudioSecond(before, after, (double) n * audioSeconds));
    }
    JsonObject check = new JsonObject();
    streams.endAll(streams.byLoop(all), frameBytes, check);
    if (result != null) {
      result.mergeIn(check);
    }
  }
}
