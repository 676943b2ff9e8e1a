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

/**
 * The caller's side of a resumable session, on the caller's node: it serves the session's audio
 * and control addresses here and publishes its events, while a {@link ResumableSession} runs the
 * recognition in ordinary sessions on whichever nodes take them and moves it when one is lost.
 * The caller's addresses never change and its audio is never refused while recognition moves: up
 * to {@code maxBufferedBytes} not yet accepted by a recognizing session is held here and answered
 * at once; beyond that a request waits for its answer (a plain send is refused with
 * {@code buffer_full}).
 *
 * <p>The contract is the one of every session (audio, {@code flush}, {@code end}, {@code update},
 * {@code close}, {@code status}); {@code status} adds {@code frontNode} (this node),
 * {@code recognitionSessionId}, {@code resumes} and {@code lostBytes}, and the event
 * {@value ResumableSession#EVENT_RECOGNITION_MOVED} tells listeners that recognition moved. Runs
 * on one context; nothing is locked.
 */
final class SessionFront {

  private static final Logger LOG = LoggerFactory.getLogger(SessionFront.class);

  enum State { OPEN, ENDING, CLOSED }

  private final Vertx vertx;
  private final String id;
  private final String prefix;
  private final String eventsAddress;
  private final String frontNode;
  private final int sampleRate;
  private final int holdBytes;
  private final int maxAudioMessageBytes;
  private final ResumableSessionOptions recognition;
  private final Consumer<SessionFront> onClosed;
  private final Promise<Void> closed = Promise.promise();
  private final ArrayDeque<Message<Object>> heldReplies = new ArrayDeque<>();
  private final List<Message<Object>> endWaiters = new ArrayList<>();

  private ResumableSession session;
  private SessionConsumers consumers;
  private State state = State.OPEN;
  private String reason;
  private boolean inputEnded;
  private long pendingBytes;

  /**
   * @param recognitionRequest the open request of the recognizing sessions (model, language, ...;
   *     {@code resumable:false})
   * @param holdBytes audio not yet accepted by a recognizing session that is answered at once
   */
  SessionFront(Vertx vertx, String id, String prefix, String eventsAddress, String frontNode, int sampleRate,
      JsonObject recognitionRequest, int holdBytes, int maxAudioMessageBytes, ResumableSessionOptions recognition,
      Consumer<SessionFront> onClosed) {
    this.vertx = vertx;
    this.id = id;
    this.prefix = prefix;
    this.eventsAddress = eventsAddress != null ? eventsAddress : BusContract.defaultEventsAddress(prefix, id);
    this.frontNode = frontNode;
    this.sampleRate = sampleRate;
    this.holdBytes = holdBytes;
    this.maxAudioMessageBytes = maxAudioMessageBytes;
    this.recognition = new ResumableSessionOptions(recognition).setPrefix(prefix).setSampleRate(sampleRate)
        .setEventsAddress(null).setOpen(recognitionRequest);
    this.onClosed = onClosed;
  }

  /** Opens the first recognizing session, then serves the caller's addresses; the open reply. */
  Future<JsonObject> start() {
    return ResumableSession.open(vertx, recognition).compose(opened -> {
      session = opened;
      session.handler(this::onRecognitionEvent);
      consumers = SessionConsumers.register(vertx.eventBus(), prefix, id, this::onAudio, this::onControl);
      LOG.info("resumable session {} opened: front on {}, recognition {} on {}", id, frontNode,
          session.sessionId(), session.node());
      return consumers.completion().map(v -> openReply());
    });
  }

  String id() {
    return id;
  }

  State state() {
    return state;
  }

  Future<Void> closedFuture() {
    return closed.future();
  }

  JsonObject openReply() {
    return new JsonObject()
        .put("sessionId", id)
        .put("audioAddress", BusContract.audioAddress(prefix, id))
        .put("controlAddress", BusContract.controlAddress(prefix, id))
        .put("eventsAddress", eventsAddress)
        .put("node", session == null ? null : session.node())
        .put("frontNode", frontNode)
        .put("resumable", true)
        .put("audioCodec", AudioCodec.NAME);
  }

  /** Finalizes (undeploy): the last final transcript, then {@code closed}. */
  void end() {
    if (state == State.OPEN && session != null) {
      state = State.ENDING;
      reason = BusContract.REASON_SHUTDOWN;
      session.end();
    }
  }

  /** Aborts at once. */
  void close() {
    if (state != State.CLOSED && session != null) {
      state = State.ENDING;
      session.close();
    }
  }

  Future<Void> unregister() {
    return consumers == null ? Future.succeededFuture() : consumers.unregister();
  }

  // ------------------------------------------------------------ audio

  private void onAudio(Message<Object> message) {
    if (state != State.OPEN) {
      refuse(message, notOpen("audio"));
      return;
    }
    Buffer pcm;
    try {
      pcm = AudioMessages.pcm(message.body(), maxAudioMessageBytes);
    } catch (ReplyException e) {
      refuse(message, e);
      return;
    }
    boolean request = message.replyAddress() != null;
    if (!request && pendingBytes + pcm.length() > holdBytes) {
      refuse(message, BusErrorCode.failure(BusErrorCode.BUFFER_FULL, "more than " + holdBytes
          + " bytes wait for recognition (maxBufferedBytes); send audio as request/reply to be paced"));
      return;
    }
    int length = pcm.length();
    pendingBytes += length;
    session.writeOwned(pcm).onComplete(ar -> {
      pendingBytes -= length;
      if (ar.failed() && request && heldReplies.remove(message)) {
        refuse(message, BusErrorCode.failure(BusErrorCode.SESSION_CLOSED, "session " + id + " is over: "
            + ar.cause().getMessage()));
      }
      releaseHeldReplies();
    });
    if (request) {
      if (pendingBytes <= holdBytes) {
        message.reply(buffered());
      } else {
        heldReplies.add(message);
      }
    }
  }

  private void releaseHeldReplies() {
    while (!heldReplies.isEmpty() && (pendingBytes <= holdBytes || state != State.OPEN)) {
      heldReplies.poll().reply(buffered());
    }
  }

  private JsonObject buffered() {
    return new JsonObject().put("buffered", pendingBytes);
  }

  // ------------------------------------------------------------ control

  private void onControl(Message<Object> message) {
    String action = message.body() instanceof JsonObject json ? json.getString("action") : null;
    if (action == null) {
      refuse(message, BusErrorCode.failure(BusErrorCode.BAD_REQUEST, "action is required: flush, end, update, close or status"));
      return;
    }
    switch (action) {
      case BusContract.ACTION_STATUS -> message.reply(status());
      case BusContract.ACTION_FLUSH -> {
        if (state != State.OPEN) {
          refuse(message, notOpen("flush"));
          return;
        }
        session.flush().onComplete(ar -> {
          if (ar.succeeded()) {
            message.reply(new JsonObject().put("sessionId", id).put("buffered", pendingBytes));
          } else {
            refuse(message, BusErrorCode.failure(BusErrorCode.GATEWAY_FAILURE, "flush failed: " + ar.cause().getMessage()));
          }
        });
      }
      case BusContract.ACTION_UPDATE -> {
        if (state != State.OPEN) {
          refuse(message, notOpen("update"));
          return;
        }
        session.update((JsonObject) message.body()).onComplete(ar -> {
          if (ar.succeeded()) {
            message.reply(status());
          } else if (ar.cause() instanceof ReplyException e && e.failureCode() > 0) {
            refuse(message, e);
          } else {
            refuse(message, BusErrorCode.failure(BusErrorCode.GATEWAY_FAILURE, "update failed: " + ar.cause().getMessage()));
          }
        });
      }
      case BusContract.ACTION_END, BusContract.ACTION_CLOSE -> {
        endWaiters.add(message);
        if (state == State.CLOSED) {
          answerEndWaiters();
        } else if (state == State.OPEN) {
          state = State.ENDING;
          if (BusContract.ACTION_END.equals(action)) {
            inputEnded = true;
            reason = BusContract.REASON_ENDED;
            session.end();
          } else {
            reason = BusContract.REASON_CLOSED;
            session.close();
          }
        }
      }
      default -> refuse(message, BusErrorCode.failure(BusErrorCode.BAD_REQUEST, "unknown action '" + action
          + "': expected flush, end, update, close or status"));
    }
  }

  private JsonObject status() {
    return openReply()
        .put("state", state.name().toLowerCase())
        .put("sampleRate", sampleRate)
        .put("audioSecondsReceived", audioSeconds())
        .put("lastSeq", session.lastSeq())
        .put("heldBytes", pendingBytes)
        .put("recognitionSessionId", session == null ? null : session.sessionId())
        .put("resumes", session == null ? 0 : session.resumes())
        .put("lostBytes", session == null ? 0 : session.lostBytes());
  }

  private double audioSeconds() {
    return session.writtenBytes() / 2.0 / sampleRate;
  }

  private void answerEndWaiters() {
    JsonObject summary = new JsonObject().put("sessionId", id).put("reason", reason)
        .put("audioSeconds", audioSeconds()).put("lastSeq", session.lastSeq());
    for (Message<Object> waiter : endWaiters) {
      boolean askedToEnd = waiter.body() instanceof JsonObject json
          && BusContract.ACTION_END.equals(json.getString("action"));
      if (askedToEnd && !BusContract.REASON_ENDED.equals(reason)) {
        refuse(waiter, BusErrorCode.failure(BusErrorCode.GATEWAY_FAILURE, "the session did not end normally (" + reason + ")"));
      } else {
        waiter.reply(summary);
      }
    }
    endWaiters.clear();
  }

  // ------------------------------------------------------------ events

  private void onRecognitionEvent(JsonObject event) {
    JsonObject out = event.copy().put("sessionId", id);
    if (BusContract.EVENT_CLOSED.equals(out.getString("type"))) {
      state = State.CLOSED;
      reason = out.getString("reason", reason);
      out.put("audioSeconds", audioSeconds());
      vertx.eventBus().publish(eventsAddress, out);
      releaseHeldReplies();
      answerEndWaiters();
      LOG.info("resumable session {} closed ({}) after {} resumes", id, reason, session.resumes());
      onClosed.accept(this);
      closed.complete();
      return;
    }
    if (ResumableSession.EVENT_RECOGNITION_MOVED.equals(out.getString("type"))) {
      LOG.info("resumable session {}: recognition moved from {} to {} ({})", id, out.getString("previousNode"),
          out.getString("node"), out.getString("reason"));
    }
    vertx.eventBus().publish(eventsAddress, out);
  }

  /** A request is answered with the failure; a plain send gets an {@code error} event instead. */
  private void refuse(Message<Object> message, ReplyException failure) {
    Refusals.refuse(message, failure, state == State.CLOSED ? null : session::emit);
  }

  private ReplyException notOpen(String what) {
    return Refusals.notOpen(what, id, inputEnded, state == State.CLOSED, reason);
  }
}
