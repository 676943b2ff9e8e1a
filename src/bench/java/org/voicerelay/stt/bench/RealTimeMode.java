package org.voicerelay.stt.bench;

import static org.voicerelay.stt.bench.ToneAudio.RATE;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client bench in real time: one periodic timer per event loop writes the frames that are due
 * to each stream of that loop (catching up by the wall clock if a tick is late), or, driven as an
 * application ({@link Drive#APP}), each stream's own timer writes it a fresh {@code Buffer} per
 * frame; after the warm-up, the CPU of {@code seconds} is measured, then every stream ends and its
 * last final is checked.
 */
final class RealTimeMode {

  private RealTimeMode() {
  }

  static JsonObject run(ClientStreams streams, int n, int frameMs, int warmup, int seconds) throws Exception {
    return run(streams, n, frameMs, warmup, seconds, Drive.TUNED);
  }

  static JsonObject run(ClientStreams streams, int n, int frameMs, int warmup, int seconds, Drive drive)
      throws Exception {
    return run(streams, n, frameMs, warmup, seconds, drive, true);
  }

  /** @param spread (application drive) whether the streams' timers fire at their own moments or all together */
  static JsonObject run(ClientStreams streams, int n, int frameMs, int warmup, int seconds, Drive drive, boolean spread)
      throws Exception {
    int frameBytes = RATE * frameMs / 1000 * 2;
    long frameNanos = frameMs * 1_000_000L;
    int loops = streams.eventLoops().size();
    List<TrackedStream> all = streams.open(n, t -> { });
    List<List<TrackedStream>> perLoop = streams.byLoop(all);
    streams.awaitConnected(all);
    LongAdder framesWritten = new LongAdder();
    long[] maxLagNanos = new long[loops];
    long[] maxBuffered = new long[loops];
    AtomicBoolean measuring = new AtomicBoolean();
    long start = System.nanoTime();
    ClientStreams.Pacing pacing;
    if (drive == Drive.APP) {
      pacing = streams.paceEach(perLoop, frameMs, spread, (loop, t) -> {
        long now = System.nanoTime();
        long due = (now - start) / frameNanos + 1;
        if (measuring.get() && t.frames < due) {
          maxLagNanos[loop] = Math.max(maxLagNanos[loop], now - (start + t.frames * frameNanos));
          maxBuffered[loop] = Math.max(maxBuffered[loop], t.stream.bufferedBytes());
        }
        // one frame a tick; more only when the timer came late (a stalled loop)
        while (t.frames < due) {
          t.stream.write(ToneAudio.freshFrame(t.frames++, frameBytes));
          framesWritten.increment();
        }
      });
    } else {
      pacing = streams.pace(perLoop, frameMs, (loop, mine) -> {
        long now = System.nanoTime();
        long due = (now - start) / frameNanos + 1;
        long written = 0;
        for (TrackedStream t : mine) {
          if (measuring.get() && t.frames < due) {
            maxLagNanos[loop] = Math.max(maxLagNanos[loop], now - (start + t.frames * frameNanos));
            maxBuffered[loop] = Math.max(maxBuffered[loop], t.stream.bufferedBytes());
          }
          while (t.frames < due) {
            t.stream.write(ToneAudio.frame(t.frames++, frameBytes));
            written++;
          }
        }
        framesWritten.add(written);
      });
    }
    CpuSnapshot.warmUp(warmup);
    CpuSnapshot before = CpuSnapshot.take();
    long frames0 = framesWritten.sum();
    measuring.set(true);
    System.err.println("bench: measured window starts");
    Thread.sleep(seconds * 1000L);
    CpuSnapshot after = CpuSnapshot.take();
    System.err.println("bench: measured window ends");
    long frames = framesWritten.sum() - frames0;
    measuring.set(false);
    if (!pacing.stop(300)) {
      throw new IllegalStateException("the event loops did not come back within 300 s");
    }
    double audioSeconds = frames * frameMs / 1000.0;
    JsonObject result = CpuSnapshot.perAudioSecond(before, after, audioSeconds)
        .put("work", n + " streams real time, " + frameMs + " ms writes, " + seconds + " s measured after "
            + warmup + " s, " + (drive == Drive.APP ? "driven as an application (a timer per stream, "
            + (spread ? "at its own moment" : "all firing together") + ", a fresh Buffer per write)"
            : "tuned drive (a timer per event loop, views of one buffer)"))
        .put("maxLagMs", max(maxLagNanos) / 1e6)
        .put("maxBufferedBytes", max(maxBuffered));
    if (drive == Drive.APP) {
      // the fresh frames are the application's allocation, not the client's
      result.put("driverAllocatedBytesPerAudioSecond", ToneAudio.freshFrameBytes(frameBytes) * (1000.0 / frameMs));
    }
    long endStart = System.nanoTime();
    streams.endAll(perLoop, frameBytes, result);
    result.put("endToLastFinalMs", (System.nanoTime() - endStart) / 1e6);
    result.put("keepsRealTime", result.getDouble("maxLagMs") < ClientBench.KEEPS_REAL_TIME_MS
        && result.getLong("maxBufferedBytes") < RATE * 2 * ClientBench.KEEPS_REAL_TIME_MS / 1000);
    return result;
  }

  private static long max(long[] values) {
    long m = 0;
    for (long v : values) {
      m = Math.max(m, v);
    }
    return m;
  }
}
