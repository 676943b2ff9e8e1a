package org.voicerelay.stt.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault bench's streams written in real time from this JVM: one periodic timer per event loop
 * writes the frames due to each stream of that loop (catching up by the wall clock when a tick is
 * late), from one common start, for {@code seconds}; stream i lives on loop i modulo their number.
 */
abstract class PacedSubjects implements FaultSubjects {

  final FaultBench.Plan plan;
  final Vertx vertx;
  final ClientStreams loops;
  final int n;
  final Deafness[] deafness;
  final FinalsTiling[] tiling;
  final long[] frames;
  final AtomicLong refusedWrites = new AtomicLong();
  /** The latest a pacing tick came in the measured window (ns): this JVM's own stalls. */
  final AtomicLong lateTicks = new AtomicLong();
  final int frameBytes;
  private CountDownLatch audioDone;
  /** When the audio started (nanoTime), for the event trace of FAULT_TRACE=1 on standard error. */
  volatile long t0;
  static final boolean TRACE = System.getenv("FAULT_TRACE") != null;

  void trace(int i, String what) {
    if (TRACE) {
      System.err.printf(java.util.Locale.ROOT, "trace %.3f s stream %d %s%n", (System.nanoTime() - t0) / 1e9, i, what);
    }
  }

  PacedSubjects(FaultBench.Plan plan) {
    this.plan = plan;
    this.vertx = Vertx.vertx();
    this.loops = new ClientStreams(vertx, () -> {
      throw new UnsupportedOperationException("streams are opened by the fault bench");
    });
    this.n = plan.streams();
    this.deafness = new Deafness[n];
    this.tiling = new FinalsTiling[n];
    this.frames = new long[n];
    for (int i = 0; i < n; i++) {
      deafness[i] = new Deafness();
      tiling[i] = new FinalsTiling();
    }
    this.frameBytes = ToneAudio.RATE * plan.frameMs() / 1000 * 2;
  }

  Context loopOf(int i) {
    List<Context> all = loops.eventLoops();
    return all.get(i % all.size());
  }

  /** Writes one frame to stream i, on its event loop. */
  abstract void write(int i, Buffer frame);

  /** Whether stream i still takes audio. */
  boolean alive(int i) {
    return deafness[i].diedOf() == null;
  }

  /** When the audio stops (nanoTime), set once the warm-up is over; the writers stop there. */
  private volatile long endAt = Long.MAX_VALUE;
  private volatile long windowStart = Long.MAX_VALUE;

  @Override
  public long startAudio() {
    List<Context> contexts = loops.eventLoops();
    long frameNanos = plan.frameMs() * 1_000_000L;
    long t0 = System.nanoTime() + 50_000_000L;
    this.t0 = t0;
    audioDone = new CountDownLatch(contexts.size());
    for (int l = 0; l < contexts.size(); l++) {
      int loop = l;
      long[] last = {0};
      ClientStreams.join(ClientStreams.onContext(contexts.get(l), () -> vertx.setPeriodic(plan.frameMs(), id -> {
        long now = System.nanoTime();
        if (last[0] != 0 && now > windowStart) {
          lateTicks.accumulateAndGet(now - last[0] - frameNanos, Math::max);
        }
        last[0] = now;
        if (now < t0) {
          return;
        }
        long end = endAt;
        // the frames due by now, or by the end of the audio
        long due = (Math.min(now, end) - t0) / frameNanos + 1;
        for (int i = loop; i < n; i += contexts.size()) {
          boolean alive = alive(i);
          while (frames[i] < due) {
            Buffer frame = ToneAudio.frame(frames[i]++, frameBytes);
            if (alive) {
              write(i, frame);
            }
          }
          if (now >= end) {
            deafness[i].end(now);
          }
        }
        if (now >= end) {
          vertx.cancelTimer(id);
          audioDone.countDown();
        }
      })));
    }
    return t0;
  }

  /**
   * The warm-up: waits until every stream heard a transcript (or died), at least until
   * {@code notBefore} and at most {@code maxNanos} after the audio started; the measured window starts
   * then and the audio goes on for {@code windowNanos}. Returns the window's start (nanoTime).
   */
  @Override
  public long awaitWarm(long notBefore, long maxNanos, long windowNanos) throws InterruptedException {
    long giveUp = t0 + maxNanos;
    while (true) {
      long now = System.nanoTime();
      boolean all = true;
      for (Deafness d : deafness) {
        if (!d.heardAny() && d.diedOf() == null) {
          all = false;
          break;
        }
      }
      if ((all && now >= notBefore) || now >= giveUp) {
        for (Deafness d : deafness) {
          d.start(now);
        }
        windowStart = now;
        endAt = now + windowNanos;
        return now;
      }
      Thread.sleep(10);
    }
  }

  @Override
  public long worstStallMs() {
    return lateTicks.get() / 1_000_000;
  }

  @Override
  public void fault(long now) {
    for (Deafness d : deafness) {
      d.fault(now);
    }
  }

  @Override
  public void awaitAudioEnd(long end) throws InterruptedException {
    if (!audioDone.await(Math.max(0, endAt - System.nanoTime()) + TimeUnit.SECONDS.toNanos(60), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("the writers did not finish within 60 s of the audio's end");
    }
  }

  @Override
  public Deafness[] deafness() {
    return deafness;
  }

  @Override
  public int everyByte() {
    int complete = 0;
    for (int i = 0; i < n; i++) {
      if (deafness[i].diedOf() == null && tiling[i].check(frames[i] * frameBytes) == null) {
        complete++;
      }
    }
    return complete;
  }

  /** The first stream whose finals do not tile what it was written, and why; null if none. */
  String firstIncomplete() {
    for (int i = 0; i < n; i++) {
      String why = tiling[i].check(frames[i] * frameBytes);
      if (why != null) {
        return "stream " + i + ": " + why;
      }
    }
    return null;
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort
    }
  }
}
