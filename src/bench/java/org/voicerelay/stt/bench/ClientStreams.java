package org.voicerelay.stt.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamState;
import org.voicerelay.stt.client.SttClient;

/**
 * What the client bench's modes do alike: open streams spread over the event loops, write to
 * them from one timer per loop, wait for them to connect, end them and check their last finals.
 */
final class ClientStreams {

  /** A pacing timer's tick on one event loop, with that loop's streams. */
  interface Tick {
    void run(int loop, List<TrackedStream> mine);
  }

  /** A pacing timer's tick for one stream, on that stream's event loop ({@code loop}: its index). */
  interface StreamTick {
    void run(int loop, TrackedStream stream);
  }

  /** The timers of {@link #pace} (one per event loop) or of {@link #paceEach} (one per stream). */
  static final class Pacing {
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch pacersStopped;

    private Pacing(int timers) {
      pacersStopped = new CountDownLatch(timers);
    }

    /** Stops every timer at its next tick; whether they all stopped within {@code seconds}. */
    boolean stop(long seconds) throws InterruptedException {
      stopped.set(true);
      return pacersStopped.await(seconds, TimeUnit.SECONDS);
    }
  }

  final Vertx vertx;
  private final Supplier<SpeechStream> streams;
  private List<Context> eventLoops;

  /** Streams of {@code client}. */
  ClientStreams(Vertx vertx, SttClient client) {
    this(vertx, client::stream);
  }

  /** Streams that {@code streams} opens on the calling event loop (the client's floor's). */
  ClientStreams(Vertx vertx, Supplier<SpeechStream> streams) {
    this.vertx = vertx;
    this.streams = streams;
  }

  /** The same event loops (the contexts of {@link #eventLoops()}), with other streams. */
  ClientStreams with(Supplier<SpeechStream> other) {
    ClientStreams s = new ClientStreams(vertx, other);
    s.eventLoops = eventLoops();
    return s;
  }

  /**
   * One context per event loop: the contexts of a verticle deployed once per loop, as an
   * application spreads its streams ({@code getOrCreateContext} off Vert.x is sticky per thread).
   */
  List<Context> eventLoops() {
    if (eventLoops == null) {
      List<Context> contexts = java.util.Collections.synchronizedList(new ArrayList<>());
      join(vertx.deployVerticle(() -> new io.vertx.core.AbstractVerticle() {
        @Override
        public void start() {
          contexts.add(context);
        }
      }, new io.vertx.core.DeploymentOptions().setInstances(2 * Runtime.getRuntime().availableProcessors())));
      eventLoops = List.copyOf(contexts);
    }
    return eventLoops;
  }

  /** Opens {@code n} streams, stream i on event loop i modulo their number, {@code setup} run there. */
  List<TrackedStream> open(int n, Consumer<TrackedStream> setup) {
    List<Context> loops = eventLoops();
    List<TrackedStream> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(join(onContext(loops.get(i % loops.size()), () -> {
        TrackedStream t = new TrackedStream(streams.get());
        setup.accept(t);
        return t;
      })));
    }
    return all;
  }

  /** The streams of {@link #open} by event loop. */
  List<List<TrackedStream>> byLoop(List<TrackedStream> all) {
    int loops = eventLoops().size();
    List<List<TrackedStream>> perLoop = new ArrayList<>();
    for (int i = 0; i < loops; i++) {
      perLoop.add(new ArrayList<>());
    }
    for (int i = 0; i < all.size(); i++) {
      perLoop.get(i % loops).add(all.get(i));
    }
    return perLoop;
  }

  /** Runs {@code tick} every {@code frameMs} on each event loop with its streams, until stopped. */
  Pacing pace(List<List<TrackedStream>> perLoop, int frameMs, Tick tick) {
    List<Context> loops = eventLoops();
    Pacing pacing = new Pacing(loops.size());
    for (int l = 0; l < loops.size(); l++) {
      int loop = l;
      List<TrackedStream> mine = perLoop.get(l);
      join(onContext(loops.get(l), () -> vertx.setPeriodic(frameMs, id -> {
        if (pacing.stopped.get()) {
          vertx.cancelTimer(id);
          pacing.pacersStopped.countDown();
          return;
        }
        tick.run(loop, mine);
      })));
    }
    return pacing;
  }

  /**
   * Runs {@code tick} every {@code frameMs} for each stream on a periodic timer of its own, set on
   * the stream's event loop, until stopped: how an application paces each call's audio, rather
   * than one timer per loop for all its streams. The timers' own cost is part of what the process
   * pays. {@code spread}: each timer's first delay is random within one period, as calls start at
   * their own moments, so an event loop wakes for a few streams at a time (at Netty's millisecond
   * granularity, up to a thousand times a second); otherwise all fire together, one wake-up per
   * period for all of a loop's streams, which is far cheaper and rarer in an application.
   */
  Pacing paceEach(List<List<TrackedStream>> perLoop, int frameMs, boolean spread, StreamTick tick) {
    List<Context> loops = eventLoops();
    Pacing pacing = new Pacing(perLoop.stream().mapToInt(List::size).sum());
    for (int l = 0; l < loops.size(); l++) {
      int loop = l;
      List<TrackedStream> mine = perLoop.get(l);
      join(onContext(loops.get(l), () -> {
        for (TrackedStream t : mine) {
          long first = spread ? 1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(frameMs) : frameMs;
          vertx.setPeriodic(first, frameMs, id -> {
            if (pacing.stopped.get()) {
              vertx.cancelTimer(id);
              pacing.pacersStopped.countDown();
              return;
            }
            tick.run(loop, t);
          });
        }
        return null;
      }));
    }
    return pacing;
  }

  void awaitConnected(List<TrackedStream> all) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (all.stream().allMatch(t -> t.stream.state() == StreamState.CONNECTED)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("streams not connected within 90 s");
  }

  /** Ends every stream, waits for it to close, and checks its last final against what was written. */
  void endAll(List<List<TrackedStream>> perLoop, int frameBytes, JsonObject result) throws Exception {
    List<Context> loops = eventLoops();
    List<Future<Void>> ends = new ArrayList<>();
    for (int l = 0; l < loops.size(); l++) {
      List<TrackedStream> mine = perLoop.get(l);
      ends.add(join(onContext(loops.get(l), () -> {
        List<Future<Void>> fs = new ArrayList<>();
        for (TrackedStream t : mine) {
          t.expectedBytes = t.frames * frameBytes;
          fs.add(t.stream.end().otherwiseEmpty());
        }
        return Future.join(fs).<Void>mapEmpty();
      })));
    }
    Future.join(ends).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    int streams = 0;
    int complete = 0;
    long finals = 0;
    long bytes = 0;
    for (List<TrackedStream> mine : perLoop) {
      for (TrackedStream t : mine) {
        streams++;
        finals += t.finals;
        bytes += t.expectedBytes;
        if (t.everyByte(frameBytes)) {
          complete++;
        }
      }
    }
    result.put("streams", streams).put("streamsWithEveryByte", complete).put("finals", finals)
        .put("bytesWritten", bytes);
  }

  static <T> Future<T> onContext(Context context, java.util.concurrent.Callable<T> action) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      try {
        promise.complete(action.call());
      } catch (Exception e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  static <T> T join(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
