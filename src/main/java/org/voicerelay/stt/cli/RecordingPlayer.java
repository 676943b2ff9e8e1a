package org.voicerelay.stt.cli;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.function.DoubleConsumer;
import org.voicerelay.stt.bus.WindowedAudioSender;

/**
 * Plays a recording into a session's {@link WindowedAudioSender} in 100 ms chunks: as fast as its
 * window lets (the whole path bus → verticle → WebSocket → gateway paces it), or in real time,
 * each chunk waiting for its moment on the recording's clock (a timer, never a sleep).
 */
final class RecordingPlayer {

  static final int CHUNK_MS = 100;
  static final int WINDOW = 8;

  private final Vertx vertx;
  private final WindowedAudioSender sender;
  private final Buffer pcm;
  private final int chunkBytes;
  private final int chunks;
  private final boolean realTime;
  private final DoubleConsumer progress;
  private final Promise<Void> done = Promise.promise();
  private long startNanos;
  private int nextOffset;
  private int accepted;
  private boolean timerPending;

  RecordingPlayer(Vertx vertx, WindowedAudioSender sender, Buffer pcm, int sampleRate, boolean realTime,
      DoubleConsumer progress) {
    this.vertx = vertx;
    this.sender = sender;
    this.pcm = pcm;
    this.chunkBytes = sampleRate * CHUNK_MS / 1000 * 2;
    this.chunks = (pcm.length() + chunkBytes - 1) / chunkBytes;
    this.realTime = realTime;
    this.progress = progress;
  }

  /** Completes when every chunk has been accepted by the session; fails with the first refusal. */
  Future<Void> play() {
    startNanos = System.nanoTime();
    if (chunks == 0) {
      return Future.succeededFuture();
    }
    sender.drainHandler(room -> pump());
    pump();
    return done.future();
  }

  private void pump() {
    while (!timerPending && !sender.writeQueueFull() && nextOffset < pcm.length() && !done.future().isComplete()) {
      if (realTime) {
        long dueMs = (long) nextOffset / chunkBytes * CHUNK_MS;
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        if (dueMs > elapsedMs) {
          timerPending = true;
          vertx.setTimer(dueMs - elapsedMs, t -> {
            timerPending = false;
            pump();
          });
          return;
        }
      }
      int end = Math.min(pcm.length(), nextOffset + chunkBytes);
      Buffer chunk = pcm.getBuffer(nextOffset, end);
      nextOffset = end;
      sender.write(chunk).onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        progress.accept(nextOffset / (double) pcm.length());
        if (++accepted == chunks) {
          done.tryComplete();
        }
      });
    }
  }
}
