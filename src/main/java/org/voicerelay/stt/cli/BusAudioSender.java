package org.voicerelay.stt.cli;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.function.DoubleConsumer;
import org.voicerelay.stt.bus.AudioCodec;

/**
 * Sends a recording to a session's audio address the way the bus contract's flow control asks
 * (docs/event-bus.md): as request/reply with a small window of unanswered chunks, so the whole
 * path bus → verticle → WebSocket → gateway paces the sender. In real-time mode each chunk also
 * waits for its moment on the recording's clock (a timer, never a sleep).
 */
final class BusAudioSender {

  static final int CHUNK_MS = 100;
  static final int WINDOW = 8;

  private final Vertx vertx;
  private final String address;
  private final Buffer pcm;
  private final int chunkBytes;
  private final boolean realTime;
  private final DoubleConsumer progress;
  private final Promise<Void> done = Promise.promise();
  private final DeliveryOptions delivery;
  private long startNanos;
  private int nextOffset;
  private int inFlight;

  /**
   * @param codec whether to send with {@link AudioCodec} (registered on {@code vertx} already):
   *     each chunk is a fresh Buffer that nothing changes after it is sent, as the codec asks
   */
  BusAudioSender(Vertx vertx, String address, Buffer pcm, int sampleRate, boolean realTime, boolean codec,
      DoubleConsumer progress) {
    this.vertx = vertx;
    this.delivery = (codec ? AudioCodec.deliveryOptions() : new DeliveryOptions()).setSendTimeout(30_000);
    this.address = address;
    this.pcm = pcm;
    this.chunkBytes = sampleRate * CHUNK_MS / 1000 * 2;
    this.realTime = realTime;
    this.progress = progress;
  }

  /** Completes when every chunk has been accepted by the session. */
  Future<Void> send() {
    startNanos = System.nanoTime();
    pump();
    return done.future();
  }

  private void pump() {
    while (inFlight < WINDOW && nextOffset < pcm.length() && !done.future().isComplete()) {
      if (realTime) {
        long dueMs = (long) nextOffset / chunkBytes * CHUNK_MS;
        long elapsedMs = (System.nanoTime() - startNanos) / 1_000_000;
        if (dueMs > elapsedMs) {
          vertx.setTimer(dueMs - elapsedMs, t -> pump());
          return;
        }
      }
      int end = Math.min(pcm.length(), nextOffset + chunkBytes);
      Buffer chunk = pcm.getBuffer(nextOffset, end);
      nextOffset = end;
      inFlight++;
      vertx.eventBus().request(address, chunk, delivery).onComplete(ar -> {
        inFlight--;
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        progress.accept(nextOffset / (double) pcm.length());
        if (nextOffset >= pcm.length() && inFlight == 0) {
          done.tryComplete();
        } else {
          pump();
        }
      });
    }
    if (pcm.length() == 0) {
      done.tryComplete();
    }
  }
}
