package org.voicerelay.stt.bus.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.AudioCodec;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.BusErrorCode;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.internal.TimerSlot;
import org.voicerelay.stt.tracing.TraceSpan;

/**
 * One session of the contract, plain or resumable: the audio and control consumers of its
 * addresses, its state, the answers to every message (replies, held replies, {@code end} waiters,
 * refusals) and the numbered events it publishes. What runs the recognition is a
 * {@link SessionBackend}; a caller in any language gets the same answers from either kind.
 *
 * <p>States: {@link State#OPEN} (audio and control accepted) to {@link State#ENDING} ({@code end},
 * {@code close}, idle or undeploy) to {@link State#CLOSED} ({@code closed} published); a closed
 * session's addresses linger {@code closedSessionLingerMs} to answer 410, then are unregistered.
 * Everything runs on the context the session was opened on; nothing is locked.
 *
 * <p>Back-pressure: a request/reply sender is answered once its audio is taken, or, while the
 * backend {@linkplain SessionBackend#holdsReplies() holds replies}, once it has drained; a plain
 * send refused gets an {@code error} event instead of a reply.
 */
final class SessionEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(SessionEndpoint.class);

  enum State {
    /** Audio and control accepted. */
    OPEN(BusContract.STATE_OPEN),
    /** The input ended (or an abort was asked); waiting for the backend to finish. */
    ENDING(BusContract.STATE_ENDING),
    /** Over; {@code closed} was published. Only the addresses linger. */
    CLOSED(BusContract.STATE_CLOSED);

    final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }
  }

  private final Vertx vertx;
  private final String id;
  private final String audioAddress;
  private final String controlAddress;
  private final String eventsAddress;
  private final int sampleRate;
  private final int maxAudioMessageBytes;
  private final long lingerMs;
  private final SttMetrics metrics;
  private final SessionBackend backend;
  private final Promise<Void> closed = Promise.promise();
  private final HeldReplies held;

  private final Owner owner;
  private long seqReserved = SessionDirectory.SEQ_RESERVE;
  private MessageConsumer<Object> audioConsumer;
  private MessageConsumer<Object> controlConsumer;
  private String model;
  private String language;
  private State state = State.OPEN;
  private String reason;
  /** The {@code error} of the {@code closed} event, if the session failed. */
  private JsonObject closedError;
  private boolean inputEndedByCaller;
  private long seq;
  private long receivedBytes;
  private long lastActivity = System.nanoTime();
  private final TimerSlot lingerTimer;
  private boolean unregistered;
  private boolean backendStarted;
  /** The session's span ({@code stt.session}): the owner starts it, and ends it once the session closed. */
  TraceSpan span = TraceSpan.NONE;

  /**
   * @param eventsAddress the caller's, or null for the session's default
   * @param sampleRate the rate the caller sends
   * @param model the model in use (for {@code status}), or null
   * @param language the language in use, or null
   */
  SessionEndpoint(Vertx vertx, SttVerticleOptions options, SttMetrics metrics, Owner owner, String id,
      String eventsAddress, int sampleRate, String model, String language, SessionBackend backend) {
    this.owner = owner;
    this.held = new HeldReplies(() -> state == State.OPEN && backend.holdsReplies(), this::buffered);
    String prefix = options.getPrefix();
    this.vertx = vertx;
    this.lingerTimer = new TimerSlot(vertx);
    this.id = id;
    this.audioAddress = BusContract.audioAddress(prefix, id);
    this.controlAddress = BusContract.controlAddress(prefix, id);
    this.eventsAddress = eventsAddress != null ? eventsAddress : BusContract.defaultEventsAddress(prefix, id);
    this.sampleRate = sampleRate;
    this.maxAudioMessageBytes = options.getMaxAudioMessageBytes();
    this.lingerMs = options.getClosedSessionLingerMs();
    this.metrics = metrics;
    this.backend = backend;
    this.model = model;
    this.language = language;
  }

  /** What the session tells the one that opened it ({@link SessionLifecycle}). */
  interface Owner {

    /** The session is closed (told before {@code end} waiters are answered). */
    void closed(SessionEndpoint session);

    /** The addresses are unregistered after the linger time (not after {@link #unregister()}). */
    void gone(SessionEndpoint session);

    /**
     * The session needs more event numbers than it reserved in the {@link SessionDirectory}:
     * {@code seq}, the new bound, {@value SessionDirectory#SEQ_RESERVE} ahead.
     */
    void reserveSeq(SessionEndpoint session, long seq);
  }

  /**
   * Starts the backend, then registers the addresses (cluster-wide); the open reply. Events wait
   * until {@link #resumeEvents()}, so none is published before the caller has the reply.
   */
  Future<JsonObject> start() {
    return backend.start(this).compose(v -> {
      backendStarted = true;
      EventBus bus = vertx.eventBus();
      audioConsumer = bus.consumer(audioAddress, this::onAudio);
      controlConsumer = bus.consumer(controlAddress, this::onControl);
      return Future.all(audioConsumer.completion(), controlConsumer.completion());
    }).map(v -> openReply());
  }

  /** Whether the backend started: only then will it say {@link #closed} when recognition is over. */
  boolean backendStarted() {
    return backendStarted;
  }

  void resumeEvents() {
    backend.resumeEvents();
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

  /** When the caller last sent audio or control, in {@link System#nanoTime()}. */
  long lastActivityNanos() {
    return lastActivity;
  }

  /** A figure of the backend (buffered audio, replay audio, deafness) while open; 0 once closed. */
  long whileOpen(ToLongFunction<SessionBackend> figure) {
    return state == State.CLOSED ? 0 : figure.applyAsLong(backend);
  }

  /** Completes once the {@code closed} event is published. */
  Future<Void> closedFuture() {
    return closed.future();
  }

  JsonObject openReply() {
    JsonObject reply = new JsonObject()
        .put("sessionId", id)
        .put("audioAddress", audioAddress)
        .put("controlAddress", controlAddress)
        .put("eventsAddress", eventsAddress)
        .put("node", backend.node());
    backend.describe(reply);
    return reply.put("audioCodec", AudioCodec.NAME);
  }

  JsonObject status() {
    JsonObject status = openReply()
        .put("state", state.wireName)
        .put("sampleRate", sampleRate)
        .put("audioSecondsReceived", audioSeconds())
        .put("lastSeq", seq);
    if (model != null) {
      status.put("model", model);
    }
    if (language != null) {
      status.put("language", language);
    }
    if (reason != null) {
      status.put("reason", reason);
    }
    backend.describeStatus(status);
    return status;
  }

  /** Finalizes ({@code why}: ended, idle_timeout, shutdown); the {@code closed} event follows. */
  void end(String why) {
    if (state != State.OPEN) {
      return;
    }
    state = State.ENDING;
    reason = why;
    inputEndedByCaller = BusContract.REASON_ENDED.equals(why);
    backend.end();
  }

  /** Aborts at once, without waiting for transcripts (also a session that is ending). */
  void close(String why) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.ENDING;
    reason = why;
    backend.close();
  }

  /** Unregisters the addresses (at undeploy, or once the linger time is over). */
  Future<Void> unregister() {
    lingerTimer.cancel();
    if (unregistered || audioConsumer == null) {
      unregistered = true;
      return Future.succeededFuture();
    }
    unregistered = true;
    return Future.join(audioConsumer.unregister(), controlConsumer.unregister()).mapEmpty();
  }

  // ------------------------------------------------------------ told by the backend

  /** Publishes an event of the session, numbered: {@code sessionId} and {@code seq} are the session's. */
  void publish(JsonObject event) {
    JsonObject numbered = new JsonObject().put("sessionId", id).put("seq", 0L).mergeIn(event);
    numbered.put("sessionId", id).put("seq", ++seq);
    if (seq > seqReserved - SessionDirectory.SEQ_RESERVE_HALF) {
      seqReserved = seq + SessionDirectory.SEQ_RESERVE;
      owner.reserveSeq(this, seqReserved);
    }
    vertx.eventBus().publish(eventsAddress, numbered);
  }

  /** The backend can take more: replies held for paced senders are answered. */
  void drained() {
    held.release();
  }

  /**
   * Recognition is over. {@code why}: {@code failed} (with {@code error}) wins; otherwise the reason
   * the session was ended with, else {@code why}, else {@code ended}.
   */
  void closed(String why, JsonObject error) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    if (BusContract.REASON_FAILED.equals(why) || reason == null) {
      reason = why != null ? why : BusContract.REASON_ENDED;
    }
    closedError = error;
    held.release();
    owner.closed(this);
    publish(ContractEvents.closed(reason, error).put("audioSeconds", audioSeconds()));
    answerEndWaiters();
    LOG.info("session {} closed ({}) after {} s of audio, {} events", id, reason,
        String.format("%.2f", audioSeconds()), seq);
    closed.complete();
    linger();
  }

  // ------------------------------------------------------------ audio

  private void onAudio(Message<Object> message) {
    lastActivity = System.nanoTime();
    try {
      if (state != State.OPEN) {
        refuse(message, notOpen("audio"));
        return;
      }
      Buffer pcm = AudioMessage.pcm(message.body(), maxAudioMessageBytes);
      boolean paced = message.replyAddress() != null;
      SessionBackend.Write write = backend.write(pcm, paced);
      write.taken().onComplete(ar -> {
        if (ar.failed()) {
          refuse(message, failure("audio", ar.cause()));
          return;
        }
        receivedBytes += pcm.length();
        if (paced) {
          held.audioTaken(message);
        }
      });
      write.accepted().onComplete(ar -> {
        if (ar.failed() && held.forget(message)) {
          refuse(message, BusErrorCode.failure(BusErrorCode.SESSION_CLOSED, "session " + id + " is over: "
              + ar.cause().getMessage()));
        }
        held.release();
      });
    } catch (ReplyException e) {
      refuse(message, e);
    } catch (RuntimeException e) {
      LOG.warn("session {}: audio message failed", id, e);
      refuse(message, BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR, "audio failed: " + e));
    }
  }

  private JsonObject buffered() {
    return new JsonObject().put("buffered", backend.bufferedBytes());
  }

  // ------------------------------------------------------------ control

  private void onControl(Message<Object> message) {
    lastActivity = System.nanoTime();
    try {
      ControlRequest request = ControlRequest.parse(message.body());
      switch (request.action()) {
        case BusContract.ACTION_STATUS -> {
          JsonObject status = status();
          backend.describeConnection(status).onComplete(ar -> message.reply(status));
        }
        case BusContract.ACTION_FLUSH -> whileOpen(message, "flush", backend::flush,
            v -> new JsonObject().put("sessionId", id).put("buffered", backend.bufferedBytes()));
        case BusContract.ACTION_UPDATE -> whileOpen(message, "update",
            () -> backend.update(request.model(), request.language(), request.extra(), request.keyterms()), v -> {
              model = request.model() != null ? request.model() : model;
              language = request.language() != null ? request.language() : language;
              return status();
            });
        case BusContract.ACTION_CONTEXT -> whileOpen(message, "context", () -> backend.addContext(request.text()),
            v -> new JsonObject().put("sessionId", id));
        default -> {
          boolean askedToEnd = BusContract.ACTION_END.equals(request.action());
          held.endRequested(message, askedToEnd);
          if (state == State.CLOSED) {
            answerEndWaiters();
          } else if (askedToEnd) {
            end(BusContract.REASON_ENDED);
          } else {
            close(BusContract.REASON_CLOSED);
          }
        }
      }
    } catch (ReplyException e) {
      refuse(message, e);
    } catch (RuntimeException e) {
      LOG.warn("session {}: control message failed", id, e);
      refuse(message, BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR, "control failed: " + e));
    }
  }

  /**
   * Answers {@code message} with {@code reply} of the backend's result, or with the backend's
   * failure as the caller hears it; {@code action} is refused outright unless the session is open.
   */
  private void whileOpen(Message<Object> message, String action, Supplier<Future<Void>> result,
      Function<Void, JsonObject> reply) {
    if (state != State.OPEN) {
      throw notOpen(action);
    }
    result.get().onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(reply.apply(null));
      } else {
        refuse(message, failure(action, ar.cause()));
      }
    });
  }

  private void answerEndWaiters() {
    JsonObject summary = new JsonObject().put("sessionId", id).put("reason", reason)
        .put("audioSeconds", audioSeconds()).put("lastSeq", seq);
    ReplyException failed = !BusContract.REASON_FAILED.equals(reason) ? null : BusErrorCode.failure(
        BusErrorCode.GATEWAY_FAILURE, "the session failed: " + (closedError == null ? reason : closedError.getString("message")));
    held.answerEnds(summary, failed, this::refuse);
  }

  // ------------------------------------------------------------ refusals

  /** A request is answered with the failure; a plain send gets an {@code error} event instead. */
  private void refuse(Message<Object> message, ReplyException failure) {
    metrics.error(BusErrorCode.name(failure.failureCode()));
    if (message.replyAddress() != null) {
      message.fail(failure.failureCode(), failure.getMessage());
    } else if (state != State.CLOSED) {
      publish(ContractEvents.refused(failure));
    }
  }

  /** A backend's failure as the caller hears it. */
  private ReplyException failure(String what, Throwable cause) {
    ReplyException failure = BusErrorCode.of(cause, BusErrorCode.INTERNAL_ERROR, what + " failed");
    return failure.failureCode() == BusErrorCode.SESSION_CLOSED ? notOpen(what) : failure;
  }

  /** The failure for {@code what} (audio, flush, ...) sent to a session that is no longer open. */
  private ReplyException notOpen(String what) {
    if (inputEndedByCaller) {
      return BusErrorCode.failure(BusErrorCode.INPUT_ENDED, what + " after end: the input of session "
          + id + " is over");
    }
    return BusErrorCode.failure(BusErrorCode.SESSION_CLOSED, "session " + id + " is "
        + (state == State.CLOSED ? "closed" : "closing") + (reason == null ? "" : " (" + reason + ")"));
  }

  // ------------------------------------------------------------ bookkeeping

  double audioSeconds() {
    return receivedBytes / 2.0 / sampleRate;
  }

  /** The addresses answer 410 for the linger time, then go. */
  private void linger() {
    if (unregistered) {
      return;
    }
    if (lingerMs == 0) {
      unregister().onComplete(ar -> owner.gone(this));
      return;
    }
    lingerTimer.start(lingerMs, () -> {
      unregister().onComplete(ar -> owner.gone(this));
    });
  }

  @Override
  public String toString() {
    return "SessionEndpoint{id=" + id + ", state=" + state + "}";
  }
}
