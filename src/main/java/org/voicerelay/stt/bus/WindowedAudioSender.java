package org.voicerelay.stt.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * Sends one session's audio the way the contract's back-pressure asks (docs/event-bus.md): each
 * chunk a request to the session's audio address, at most a window of them unanswered. The
 * session holds its replies while the gateway is behind, so a caller that waits for
 * {@link #drainHandler room} is paced end to end by the gateway. A chunk the session refuses fails
 * its {@link #write} with the {@link ReplyException} whose {@code failureCode()} is the
 * {@link BusErrorCode}; the session goes on (unless the code says it is over), so the caller
 * decides whether to stop. {@link #end()} sends the session's {@code end} once every chunk is
 * answered; {@link #summary()} is its reply.
 *
 * <p>Writes beyond the window are accepted and held here, never sent before room frees: the window
 * is a bound on requests, {@link #writeQueueFull()} the signal to stop writing. Use an instance
 * from one Vert.x context (a verticle's, or inside {@code runOnContext}); replies arrive there.
 */
public final class WindowedAudioSender implements WriteStream<Buffer> {

  /** Unanswered chunks by default: enough to keep the path busy, few enough to be paced. */
  public static final int DEFAULT_WINDOW = 4;
  /** How long {@code end} may take by default: it is answered after the last final transcript. */
  public static final long DEFAULT_END_TIMEOUT_MS = 120_000;

  private record Pending(Buffer chunk, Promise<Void> written) {
  }

  private final Vertx vertx;
  private final String audioAddress;
  private final String controlAddress;
  private final ArrayDeque<Pending> held = new ArrayDeque<>();
  private final Promise<JsonObject> summary = Promise.promise();
  private DeliveryOptions delivery = new DeliveryOptions();
  private long endTimeoutMs = DEFAULT_END_TIMEOUT_MS;
  private int window = DEFAULT_WINDOW;
  private int unanswered;
  private boolean ending;
  private boolean endSent;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  private WindowedAudioSender(Vertx vertx, String audioAddress, String controlAddress) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.audioAddress = Objects.requireNonNull(audioAddress, "audioAddress");
    this.controlAddress = controlAddress;
  }

  /** A sender to the session of this open reply (its {@code audioAddress} and {@code controlAddress}). */
  public static WindowedAudioSender create(Vertx vertx, JsonObject openReply) {
    return new WindowedAudioSender(vertx, openReply.getString("audioAddress"), openReply.getString("controlAddress"));
  }

  /** A sender to these addresses of one session. */
  public static WindowedAudioSender create(Vertx vertx, String audioAddress, String controlAddress) {
    return new WindowedAudioSender(vertx, audioAddress, controlAddress);
  }

  /**
   * How each chunk is sent: the send timeout (a held reply counts against it), or
   * {@link AudioCodec#deliveryOptions()} towards a session that names the codec (then never change
   * a Buffer after writing it).
   */
  public WindowedAudioSender setDeliveryOptions(DeliveryOptions delivery) {
    this.delivery = new DeliveryOptions(Objects.requireNonNull(delivery, "delivery"));
    return this;
  }

  /** How long {@link #end()} waits for the session's reply (default {@value #DEFAULT_END_TIMEOUT_MS} ms). */
  public WindowedAudioSender setEndTimeoutMs(long endTimeoutMs) {
    if (endTimeoutMs <= 0) {
      throw new IllegalArgumentException("endTimeoutMs must be positive: " + endTimeoutMs);
    }
    this.endTimeoutMs = endTimeoutMs;
    return this;
  }

  /** The window: at most this many chunks unanswered (default {@value #DEFAULT_WINDOW}). */
  @Override
  public WindowedAudioSender setWriteQueueMaxSize(int chunks) {
    if (chunks < 1) {
      throw new IllegalArgumentException("the window must be at least 1 chunk: " + chunks);
    }
    this.window = chunks;
    sendHeld();
    return this;
  }

  /** Chunks written and not answered yet, sent or held. */
  public int pending() {
    return unanswered + held.size();
  }

  /** Sends {@code chunk} when the window has room; completes when the session accepted it. */
  @Override
  public Future<Void> write(Buffer chunk) {
    if (ending) {
      return Future.failedFuture(new IllegalStateException("audio written after end()"));
    }
    Promise<Void> written = Promise.promise();
    held.add(new Pending(chunk, written));
    sendHeld();
    return written.future();
  }

  @Override
  public boolean writeQueueFull() {
    return pending() >= window;
  }

  @Override
  public WindowedAudioSender drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  /** Also told of every refused chunk, for a caller that does not look at each write's future. */
  @Override
  public WindowedAudioSender exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  /**
   * Once every chunk written is answered (accepted or refused), sends {@code end} to the session;
   * completes when the session answered it (after its last final transcript), or fails as that
   * request failed (502 for a session that failed).
   */
  @Override
  public Future<Void> end() {
    if (!ending) {
      ending = true;
      if (controlAddress == null) {
        summary.fail(new IllegalStateException("no controlAddress to send end to"));
      } else {
        sendEndWhenAnswered();
      }
    }
    return summary.future().mapEmpty();
  }

  /**
   * Writes {@code pcm} cut into chunks of {@code chunkBytes}, as fast as the window lets (this
   * sender's {@link #drainHandler} is taken for it). Completes when every chunk was accepted;
   * fails with the first refusal, and writes no more chunks after it.
   */
  public Future<Void> writeAll(Buffer pcm, int chunkBytes) {
    if (chunkBytes < 1) {
      throw new IllegalArgumentException("chunkBytes must be positive: " + chunkBytes);
    }
    Promise<Void> done = Promise.promise();
    int chunks = (pcm.length() + chunkBytes - 1) / chunkBytes;
    int[] offset = {0};
    int[] accepted = {0};
    Handler<Void> pump = new Handler<>() {
      @Override
      public void handle(Void room) {
        while (!writeQueueFull() && offset[0] < pcm.length() && !done.future().isComplete()) {
          int end = Math.min(pcm.length(), offset[0] + chunkBytes);
          Buffer chunk = pcm.getBuffer(offset[0], end);
          offset[0] = end;
          write(chunk).onComplete(ar -> {
            if (ar.failed()) {
              done.tryFail(ar.cause());
            } else if (++accepted[0] == chunks) {
              done.tryComplete();
            }
          });
        }
      }
    };
    if (chunks == 0) {
      return Future.succeededFuture();
    }
    drainHandler(pump);
    pump.handle(null);
    return done.future();
  }

  /** The reply to {@code end}: {@code {"sessionId","reason","audioSeconds","lastSeq"}}. */
  public Future<JsonObject> summary() {
    return summary.future();
  }

  private void sendHeld() {
    while (unanswered < window && !held.isEmpty()) {
      Pending next = held.poll();
      unanswered++;
      vertx.eventBus().request(audioAddress, next.chunk(), delivery).onComplete(reply -> answered(next, reply.cause()));
    }
  }

  private void answered(Pending chunk, Throwable refusal) {
    boolean wasFull = writeQueueFull();
    unanswered--;
    sendHeld();
    if (refusal == null) {
      chunk.written().complete();
    } else {
      chunk.written().fail(refusal);
      if (exceptionHandler != null) {
        exceptionHandler.handle(refusal);
      }
    }
    if (ending) {
      sendEndWhenAnswered();
    } else if (wasFull && !writeQueueFull() && drainHandler != null) {
      drainHandler.handle(null);
    }
  }

  private void sendEndWhenAnswered() {
    if (pending() > 0 || summary.future().isComplete() || endSent) {
      return;
    }
    endSent = true;
    vertx.eventBus().<JsonObject>request(controlAddress, new JsonObject().put("action", BusContract.ACTION_END),
        new DeliveryOptions().setSendTimeout(endTimeoutMs)).map(Message::body).onComplete(summary);
  }
}
