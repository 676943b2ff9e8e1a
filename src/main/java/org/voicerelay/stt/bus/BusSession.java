package org.voicerelay.stt.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;

/**
 * One session of the contract: the audio and control consumers of its addresses, the
 * {@link SpeechStream} (one WebSocket) behind them, and the numbered events it publishes.
 *
 * <p>State is {@link State} plus the reason the session is ending; everything runs on the
 * verticle's context, so nothing is locked. The session frees its stream, timers and (if it has
 * one of its own) its client as soon as it closes; only its two consumers stay registered for
 * {@code closedSessionLingerMs}, so that late messages learn the session is over instead of
 * meeting no handler.
 *
 * <p>Back-pressure: audio is queued toward the gateway at once. A request/reply sender gets its
 * reply ({@code {"buffered": bytes}}) when the chunk is queued, or, while more than the client's
 * {@code writeQueueMaxSize} bytes wait, only once the queue has drained to half of it: a sender
 * that keeps a window of unanswered chunks is paced by the gateway. Beyond
 * {@code maxBufferedBytes} audio is refused ({@link BusErrorCode#BUFFER_FULL}, or an
 * {@code error} event for a plain send); nothing is dropped silently.
 */
final class BusSession {

  private static final Logger LOG = LoggerFactory.getLogger(BusSession.class);

  enum State {
    /** Audio and control accepted. */
    OPEN(BusContract.STATE_OPEN),
    /** The input ended (or an abort was asked); waiting for the stream to finish. */
    ENDING(BusContract.STATE_ENDING),
    /** Over; {@code closed} was published. Only the addresses linger. */
    CLOSED(BusContract.STATE_CLOSED);

    final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }
  }

  /** An {@code end} or {@code close} request, answered once the session is closed. */
  private record EndWaiter(Message<Object> message, boolean askedToEnd) {
  }

  private final Vertx vertx;
  private final String id;
  private final String audioAddress;
  private final String controlAddress;
  private final String eventsAddress;
  private final String node;
  private final int inputRate;
  private final SttVerticleOptions options;
  private final SttMetrics metrics;
  private final SpeechStream stream;
  private final Consumer<BusSession> onClosed;
  private final Promise<Void> closed = Promise.promise();
  private final List<EndWaiter> endWaiters = new ArrayList<>();
  private final ArrayDeque<Message<Object>> heldAudioReplies = new ArrayDeque<>();

  private SessionConsumers consumers;
  private String model;
  private String language;
  private State state = State.OPEN;
  private String reason;
  private boolean inputEndedByCaller;
  private SttException failure;
  private long seq;
  private long audioBytesReceived;
  private long lastActivity = System.nanoTime();
  private long idleTimer = -1;
  private long finalizeRequestedAt = -1;
  private double audioSecondsReported;
  private long framesReported;

  BusSession(Vertx vertx, String id, String eventsAddress, String node, String model, String language,
      int inputRate, SttVerticleOptions options, SttMetrics metrics, SpeechStream stream,
      Consumer<BusSession> onClosed) {
    this.vertx = vertx;
    this.id = id;
    this.audioAddress = BusContract.audioAddress(options.getPrefix(), id);
    this.controlAddress = BusContract.controlAddress(options.getPrefix(), id);
    this.eventsAddress = eventsAddress == null ? BusContract.defaultEventsAddress(options.getPrefix(), id)
        : eventsAddress;
    this.node = node;
    this.model = model;
    this.language = language;
    this.inputRate = inputRate;
    this.options = options;
    this.metrics = metrics;
    this.stream = stream;
    this.onClosed = onClosed;
  }

  /**
   * Registers the session's addresses (cluster-wide) and wires the stream; events wait until
   * {@link #resumeEvents()}, so none is published before the caller has the open reply.
   */
  Future<Void> start() {
    stream.pause();
    stream.handler(this::onSpeechEvent);
    stream.exceptionHandler(err -> failure = err instanceof SttException e ? e
        : new SttException(SttErrorCode.CONNECTION_FAILED, String.valueOf(err.getMessage()), false, -1, err));
    stream.endHandler(v -> onStreamEnded());
    stream.drainHandler(v -> releaseHeldReplies());
    consumers = SessionConsumers.register(vertx.eventBus(), options.getPrefix(), id, this::onAudio, this::onControl);
    armIdleTimer(options.getIdleTimeoutMs());
    LOG.info("session {} opened: model={} language={} inputRate={} events={}", id, model, language,
        inputRate, eventsAddress);
    return consumers.completion();
  }

  void resumeEvents() {
    stream.resume();
  }

  String id() {
    return id;
  }

  State state() {
    return state;
  }

  /** Why the session ended or is ending; null while open. */
  String reason() {
    return reason;
  }

  /** Bytes waiting to be sent to the gateway; 0 once closed. */
  long bufferedBytes() {
    return state == State.CLOSED ? 0 : stream.bufferedBytes();
  }

  long replayBytes() {
    return state == State.CLOSED ? 0 : stream.replayBytes();
  }

  /** Completes once the {@code closed} event is published. */
  Future<Void> closedFuture() {
    return closed.future();
  }

  JsonObject openReply() {
    return new JsonObject()
        .put("sessionId", id)
        .put("audioAddress", audioAddress)
        .put("controlAddress", controlAddress)
        .put("eventsAddress", eventsAddress)
        .put("node", node)
        .put("audioCodec", AudioCodec.NAME);
  }

  JsonObject status() {
    JsonObject status = openReply()
        .put("state", state.wireName)
        .put("sampleRate", inputRate)
        .put("audioSecondsReceived", audioSeconds())
        .put("lastSeq", seq)
        .put("stream", stream.status());
    if (model != null) {
      status.put("model", model);
    }
    if (language != null) {
      status.put("language", language);
    }
    if (reason != null) {
      status.put("reason", reason);
    }
    return status;
  }

  /** Finalizes: flush, wait for the final transcript, close. The {@code closed} event follows. */
  void end(String why) {
    if (state != State.OPEN) {
      return;
    }
    state = State.ENDING;
    reason = why;
    inputEndedByCaller = BusContract.REASON_ENDED.equals(why);
    cancelIdleTimer();
    markFinalizeRequested();
    stream.end();
  }

  /** Aborts at once, without waiting for transcripts. */
  void close(String why) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.ENDING;
    reason = why;
    cancelIdleTimer();
    stream.resume();
    stream.close();
  }

  /** Unregisters the addresses (at undeploy, or once the linger time is over). */
  Future<Void> unregister() {
    return consumers == null ? Future.succeededFuture() : consumers.unregister();
  }

  // ---------------------------------------------------------------- audio

  private void onAudio(Message<Object> message) {
    lastActivity = System.nanoTime();
    try {
      if (state != State.OPEN) {
        refuse(message, notOpen("audio"));
        return;
      }
      Buffer pcm = AudioMessages.pcm(message.body(), options.getMaxAudioMessageBytes());
      stream.write(pcm).onComplete(ar -> {
        if (ar.failed()) {
          refuse(message, writeFailure(ar.cause()));
          return;
        }
        audioBytesReceived += pcm.length();
        metrics.audioReceived(pcm.length() / 2.0 / inputRate);
        if (message.replyAddress() == null) {
          return;
        }
        if (stream.writeQueueFull() && state == State.OPEN) {
          heldAudioReplies.add(message);
        } else {
          message.reply(buffered());
        }
      });
    } catch (ReplyException e) {
      refuse(message, e);
    } catch (RuntimeException e) {
      LOG.warn("session {}: audio message failed", id, e);
      refuse(message, BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR, "audio failed: " + e));
    }
  }



  private ReplyException writeFailure(Throwable cause) {
    if (cause instanceof SttException e) {
      return switch (e.code()) {
        case BUFFER_FULL -> BusErrorCode.failure(BusErrorCode.BUFFER_FULL, e.getMessage());
        case INVALID_AUDIO -> BusErrorCode.failure(BusErrorCode.INVALID_AUDIO, e.getMessage());
        case STREAM_CLOSED -> notOpen("audio");
        default -> BusErrorCode.failure(BusErrorCode.GATEWAY_FAILURE, e.getMessage());
      };
    }
    return BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR, String.valueOf(cause));
  }

  private JsonObject buffered() {
    return new JsonObject().put("buffered", stream.bufferedBytes());
  }

  private void releaseHeldReplies() {
    while (!heldAudioReplies.isEmpty()) {
      heldAudioReplies.poll().reply(buffered());
    }
  }

  // ---------------------------------------------------------------- control

  private void onControl(Message<Object> message) {
    lastActivity = System.nanoTime();
    try {
      RequestFields f = RequestFields.of(message.body());
      String action = f.string("action");
      if (action == null) {
        throw RequestFields.bad("action is required: flush, end, update, close or status");
      }
      switch (action) {
        case BusContract.ACTION_STATUS -> message.reply(status());
        case BusContract.ACTION_FLUSH -> flush(message);
        case BusContract.ACTION_UPDATE -> update(message, f);
        case BusContract.ACTION_END -> {
          endWaiters.add(new EndWaiter(message, true));
          if (state == State.CLOSED) {
            answerEndWaiters();
          } else {
            end(BusContract.REASON_ENDED);
          }
        }
        case BusContract.ACTION_CLOSE -> {
          endWaiters.add(new EndWaiter(message, false));
          if (state == State.CLOSED) {
            answerEndWaiters();
          } else {
            close(BusContract.REASON_CLOSED);
          }
        }
        default -> throw RequestFields.bad("unknown action '" + action
            + "': expected flush, end, update, close or status");
      }
    } catch (ReplyException e) {
      refuse(message, e);
    } catch (RuntimeException e) {
      LOG.warn("session {}: control message failed", id, e);
      refuse(message, BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR, "control failed: " + e));
    }
  }

  private void flush(Message<Object> message) {
    if (state != State.OPEN) {
      throw notOpen("flush");
    }
    markFinalizeRequested();
    stream.flush().onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(new JsonObject().put("sessionId", id).put("buffered", stream.bufferedBytes()));
      } else {
        refuse(message, writeFailure(ar.cause()));
      }
    });
  }

  private void update(Message<Object> message, RequestFields f) {
    if (state != State.OPEN) {
      throw notOpen("update");
    }
    String newModel = f.string("model");
    String newLanguage = f.string("language");
    JsonObject extra = f.object("extra");
    if (newModel == null && newLanguage == null && extra == null) {
      throw RequestFields.bad("update needs at least one of model, language, extra");
    }
    stream.updateOptions(newModel, newLanguage, extra);
    model = newModel != null ? newModel : model;
    language = newLanguage != null ? newLanguage : language;
    message.reply(status());
  }

  private JsonObject summary() {
    return new JsonObject().put("sessionId", id).put("reason", reason)
        .put("audioSeconds", audioSeconds()).put("lastSeq", seq);
  }

  private void answerEndWaiters() {
    for (EndWaiter waiter : endWaiters) {
      if (waiter.askedToEnd() && failure != null) {
        refuse(waiter.message(), BusErrorCode.failure(BusErrorCode.GATEWAY_FAILURE, "the session failed: "
            + failure.getMessage()));
      } else {
        waiter.message().reply(summary());
      }
    }
    endWaiters.clear();
  }

  private ReplyException notOpen(String what) {
    return Refusals.notOpen(what, id, inputEndedByCaller, state == State.CLOSED, reason);
  }

  // ---------------------------------------------------------------- events

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
    publish(event.toJson());
    reportAudioSent();
  }

  private void onStreamEnded() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    if (failure != null) {
      reason = BusContract.REASON_FAILED;
    } else if (reason == null) {
      reason = BusContract.REASON_ENDED;
    }
    cancelIdleTimer();
    releaseHeldReplies();
    reportAudioSent();
    onClosed.accept(this);
    JsonObject closedEvent = new JsonObject().put("type", BusContract.EVENT_CLOSED).put("reason", reason)
        .put("audioSeconds", audioSeconds());
    if (failure != null) {
      closedEvent.put("error", failure.toError().toJson());
    }
    publish(closedEvent);
    answerEndWaiters();
    LOG.info("session {} closed ({}) after {} s of audio, {} events", id, reason,
        String.format("%.2f", audioSeconds()), seq);
    closed.complete();
  }

  private void publish(JsonObject event) {
    JsonObject numbered = new JsonObject().put("sessionId", id).put("seq", ++seq);
    vertx.eventBus().publish(eventsAddress, numbered.mergeIn(event));
  }

  /** A request is answered with the failure; a plain send gets an {@code error} event instead. */
  private void refuse(Message<Object> message, ReplyException failure) {
    metrics.error(BusErrorCode.name(failure.failureCode()));
    Refusals.refuse(message, failure, state == State.CLOSED ? null : this::publish);
  }

  // ---------------------------------------------------------------- bookkeeping

  private double audioSeconds() {
    return audioBytesReceived / 2.0 / inputRate;
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
    idleTimer = vertx.setTimer(Math.max(1, delay), t -> {
      idleTimer = -1;
      if (state != State.OPEN) {
        return;
      }
      long idleMs = (System.nanoTime() - lastActivity) / 1_000_000;
      if (idleMs >= options.getIdleTimeoutMs()) {
        LOG.info("session {}: idle for {} ms, ending it", id, idleMs);
        end(BusContract.REASON_IDLE);
      } else {
        armIdleTimer(options.getIdleTimeoutMs() - idleMs);
      }
    });
  }

  private void cancelIdleTimer() {
    if (idleTimer != -1) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  @Override
  public String toString() {
    return "BusSession{id=" + id + ", state=" + state + "}";
  }
}
