package org.voicerelay.stt.bus.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.BusErrorCode;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.internal.TimerSlot;

/**
 * A plain session's recognition: one {@link SpeechStream} (one gateway WebSocket) on this node, its
 * meters, and the idle timer that ends a session nobody talks to.
 *
 * <p>Audio is queued toward the gateway at once; a paced sender's answer waits while more than the
 * client's {@code writeQueueMaxSize} bytes wait, until the queue has drained to half of it. Beyond
 * {@code maxBufferedBytes} audio is refused with {@link BusErrorCode#BUFFER_FULL}.
 */
final class StreamBackend implements SessionBackend {

  private static final Logger LOG = LoggerFactory.getLogger(StreamBackend.class);

  private final Vertx vertx;
  private final String node;
  private final int inputRate;
  private final long idleTimeoutMs;
  private final SttMetrics metrics;
  private final SpeechStream stream;
  private SessionEndpoint endpoint;
  private SttException failure;
  private boolean holding;
  private final TimerSlot idleTimer;
  private long finalizeRequestedAt = -1;
  private double audioSecondsReported;
  private long framesReported;

  StreamBackend(Vertx vertx, String node, int inputRate, long idleTimeoutMs, SttMetrics metrics, SpeechStream stream) {
    this.vertx = vertx;
    this.idleTimer = new TimerSlot(vertx);
    this.node = node;
    this.inputRate = inputRate;
    this.idleTimeoutMs = idleTimeoutMs;
    this.metrics = metrics;
    this.stream = stream;
  }

  @Override
  public Future<Void> start(SessionEndpoint endpoint) {
    this.endpoint = endpoint;
    stream.pause();
    stream.handler(this::onSpeechEvent);
    stream.exceptionHandler(err -> failure = err instanceof SttException e ? e
        : new SttException(SttErrorCode.CONNECTION_FAILED, String.valueOf(err.getMessage()), false, -1, err));
    stream.endHandler(v -> onStreamEnded());
    stream.drainHandler(v -> {
      holding = false;
      endpoint.drained();
    });
    armIdleTimer(idleTimeoutMs);
    return Future.succeededFuture();
  }

  @Override
  public void resumeEvents() {
    stream.resume();
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public void describe(JsonObject openReply) {
    openReply.put("capabilities", stream.capabilities().toJson());
  }

  @Override
  public void describeStatus(JsonObject status) {
    status.put("stream", stream.status());
  }

  @Override
  public Write write(Buffer pcm, boolean paced) {
    Future<Void> taken = stream.write(pcm)
        .andThen(ar -> {
          if (ar.succeeded()) {
            metrics.audioReceived(pcm.length() / 2.0 / inputRate);
            holding |= stream.writeQueueFull();
          }
        })
        .recover(err -> Future.failedFuture(asReplyFailure(err)));
    return new Write(taken, taken);
  }

  @Override
  public boolean holdsReplies() {
    return holding;
  }

  @Override
  public long bufferedBytes() {
    return stream.bufferedBytes();
  }

  @Override
  public long replayBytes() {
    return stream.replayBytes();
  }

  @Override
  public long deafForMs() {
    return stream.deafForMs();
  }

  @Override
  public Future<Void> flush() {
    markFinalizeRequested();
    return stream.finalizeUtterance().recover(err -> Future.failedFuture(asReplyFailure(err)));
  }

  @Override
  public Future<Void> update(String model, String language, JsonObject extra, List<String> keyterms) {
    if (model != null || language != null || extra != null) {
      stream.updateOptions(model, language, extra);
    }
    return keyterms == null ? Future.succeededFuture()
        : stream.updateKeyterms(keyterms).recover(err -> Future.failedFuture(asReplyFailure(err)));
  }

  @Override
  public Future<Void> addContext(String text) {
    return stream.addAgentContext(text).recover(err -> Future.failedFuture(asReplyFailure(err)));
  }

  @Override
  public void end() {
    cancelIdleTimer();
    markFinalizeRequested();
    stream.end();
  }

  @Override
  public void close() {
    cancelIdleTimer();
    stream.resume();
    stream.close();
  }

  private static ReplyException asReplyFailure(Throwable cause) {
    return BusErrorCode.of(cause, BusErrorCode.INTERNAL_ERROR, "the stream failed");
  }

  private void onSpeechEvent(SpeechEvent event) {
    switch (event.type()) {
      case INTERIM_TRANSCRIPT, PREFLIGHT_TRANSCRIPT -> metrics.transcript(event.type().wireName());
      case FINAL_TRANSCRIPT -> {
        metrics.transcript(event.type().wireName());
        if (finalizeRequestedAt != -1) {
          metrics.finalLatency(System.nanoTime() - finalizeRequestedAt);
          finalizeRequestedAt = -1;
        }
      }
      case RECONNECTING -> metrics.reconnect();
      case ERROR -> metrics.error(event.error() == null ? "unknown" : event.error().code());
      default -> {
      }
    }
    endpoint.publish(event.toJson());
    reportAudioSent();
  }

  private void onStreamEnded() {
    cancelIdleTimer();
    reportAudioSent();
    holding = false;
    endpoint.closed(failure == null ? null : BusContract.REASON_FAILED,
        failure == null ? null : failure.toError().toJson());
  }

  private void markFinalizeRequested() {
    if (finalizeRequestedAt == -1) {
      finalizeRequestedAt = System.nanoTime();
    }
  }

  private void reportAudioSent() {
    double sent = stream.audioSecondsSent();
    long frames = stream.framesSent();
    if (sent > audioSecondsReported || frames > framesReported) {
      metrics.audioSent(sent - audioSecondsReported, Math.max(0, frames - framesReported));
      audioSecondsReported = sent;
      framesReported = Math.max(framesReported, frames);
    }
  }

  private void armIdleTimer(long delay) {
    idleTimer.start(delay, () -> {
      if (endpoint.state() != SessionEndpoint.State.OPEN) {
        return;
      }
      long idleMs = (System.nanoTime() - endpoint.lastActivityNanos()) / 1_000_000;
      if (idleMs >= idleTimeoutMs) {
        LOG.info("session {}: idle for {} ms, ending it", endpoint.id(), idleMs);
        endpoint.end(BusContract.REASON_IDLE);
      } else {
        armIdleTimer(idleTimeoutMs - idleMs);
      }
    });
  }

  private void cancelIdleTimer() {
    idleTimer.cancel();
  }
}
