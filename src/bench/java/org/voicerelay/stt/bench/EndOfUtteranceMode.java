package org.voicerelay.stt.bench;

import static org.voicerelay.stt.bench.ToneAudio.RATE;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The client bench's end-of-utterance latency: rounds of {@code n} streams written in real time
 * for {@code seconds} (the first round {@code warmup} seconds longer, its samples dropped), then
 * ended one after the other, spread evenly over 5 s (at once for one stream) while the others
 * still stream. Each sample is the time from the gateway handing {@code session.finalize} to its
 * engine to this client delivering the final that answers it (the gateway stamps it, see
 * {@link BenchGatewayMain#FINALIZE_AT}; one clock).
 */
final class EndOfUtteranceMode {

  private EndOfUtteranceMode() {
  }

  static JsonObject run(ClientStreams streams, int n, int frameMs, int warmup, int seconds, int rounds)
      throws Exception {
    int frameBytes = RATE * frameMs / 1000 * 2;
    long frameNanos = frameMs * 1_000_000L;
    long spreadMs = n == 1 ? 0 : 5000;
    List<Long> samples = java.util.Collections.synchronizedList(new ArrayList<>());
    int complete = 0;
    for (int round = 0; round <= rounds; round++) {
      List<Context> loops = streams.eventLoops();
      List<Long> sink = round == 0 ? java.util.Collections.synchronizedList(new ArrayList<>()) : samples;
      List<TrackedStream> all = streams.open(n, t -> t.eouSamples = sink);
      List<List<TrackedStream>> perLoop = streams.byLoop(all);
      streams.awaitConnected(all);
      long start = System.nanoTime();
      ClientStreams.Pacing pacing = streams.pace(perLoop, frameMs, (loop, mine) -> {
        long due = (System.nanoTime() - start) / frameNanos + 1;
        for (TrackedStream t : mine) {
          while (!t.ended && t.frames < due) {
            t.stream.write(ToneAudio.frame(t.frames++, frameBytes));
          }
        }
      });
      Thread.sleep((round == 0 ? warmup + seconds : seconds) * 1000L);
      List<Future<Void>> ends = java.util.Collections.synchronizedList(new ArrayList<>());
      CountDownLatch endsStarted = new CountDownLatch(n);
      for (int i = 0; i < n; i++) {
        TrackedStream t = all.get(i);
        Context context = loops.get(i % loops.size());
        long at = spreadMs * i / n;
        context.runOnContext(v -> streams.vertx.setTimer(Math.max(1, at), id -> {
          t.ended = true;
          t.expectedBytes = t.frames * frameBytes;
          ends.add(t.stream.end().otherwiseEmpty());
          endsStarted.countDown();
        }));
      }
      if (!endsStarted.await(spreadMs + 60_000, TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the ends were not started within a minute");
      }
      Future.join(new ArrayList<>(ends)).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      pacing.stop(60);
      if (round > 0) {
        for (TrackedStream t : all) {
          if (t.everyByte(frameBytes)) {
            complete++;
          }
        }
      }
    }
    long[] sorted;
    synchronized (samples) {
      sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    return new JsonObject()
        .put("work", n + " stream(s) real time, " + frameMs + " ms writes, " + rounds + " round(s) of " + seconds
            + " s, ends spread over " + spreadMs + " ms; session.finalize at the gateway -> final delivered")
        .put("eouSamples", sorted.length)
        .put("eouP50Ms", ProcessFigures.percentile(sorted, sorted.length, 0.5) / 1000.0)
        .put("eouP99Ms", ProcessFigures.percentile(sorted, sorted.length, 0.99) / 1000.0)
        .put("eouMaxMs", sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1000.0)
        .put("streams", n * rounds).put("streamsWithEveryByte", complete);
  }
}
