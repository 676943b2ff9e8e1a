package org.voicerelay.stt.bus;

import org.voicerelay.stt.audio.AudioFormat;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transcription over the event bus that outlives the node it runs on. It opens a session with
 * {@code <prefix>.open}, sends audio as request/reply with a small window, and keeps every byte
 * sent since the last final transcript. When the session is lost (its node died: a request fails
 * with {@code NO_HANDLERS} or times out, or a {@code closed} event says {@code node_lost}; or its
 * node shut down: {@code closed} with {@code shutdown}) it opens a new session, on whichever node
 * takes it, and sends the kept audio again. The handler sees one transcript: {@code seq} counts
 * on across sessions and the times of a later session are shifted by the audio that was final
 * before it, so no word is lost and none is repeated.
 *
 * <p>States: OPENING (no session: first open or a reopen), OPEN, ENDING ({@code end} sent,
 * waiting for {@code closed}), CLOSED; plus the caller's intent to end. Every method hops onto the
 * context the session was opened on, so nothing is locked. Only sent audio beyond
 * {@code maxReplayBytes} is ever dropped (and counted); audio not yet sent waits, and the futures
 * of {@link #write(Buffer)} complete as sessions accept it, so a caller waiting for them is paced.
 * The kept audio is never changed, so it goes to a session that names {@link AudioCodec} in its
 * open reply with that codec, without the bus's copy.
 */
public final class ResumableSession {

  private static final Logger LOG = LoggerFactory.getLogger(ResumableSession.class);
  /**
   * The event that tells the handler recognition moved to a new session: {@code node},
   * {@code previousNode}, {@code reason}, {@code replayedBytes}, {@code offsetSeconds} and
   * {@code lostBytes} (audio beyond {@code maxReplayBytes} that had no final transcript and could
   * not be sent again; the total so far).
   */
  public static final String EVENT_RECOGNITION_MOVED = BusContract.EVENT_RECOGNITION_MOVED;
  /** A failure code of the contract saying the session is over on a node that is still there. */
  private static final Set<Integer> ENDED_ON_LIVE_NODE = Set.of(409, 410, 503);
  private static final Set<Integer> NOT_RETRYABLE_OPEN = Set.of(400, 403);
  private static final long CLOSED_EVENT_GRACE_MS = 1_000;

  enum State { OPENING, OPEN, ENDING, CLOSED }

  /** Audio at an absolute byte offset of everything written, and the caller's promise for it. */
  private record Chunk(long offset, Buffer pcm, Promise<Void> accepted) {
    long end() {
      return offset + pcm.length();
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final ResumableSessionOptions options;
  private final int bytesPerSecond;
  private final List<Chunk> retained = new ArrayList<>();
  private final Promise<ResumableSession> firstOpen = Promise.promise();
  private final Promise<JsonObject> ended = Promise.promise();

  private Handler<JsonObject> handler = e -> { };
  private Handler<JsonObject> resumeHandler = e -> { };
  private State state = State.OPENING;
  private boolean endRequested;
  private long generation;
  private String sessionId;
  private JsonObject session;
  /** How audio goes to the current session: with {@link AudioCodec} if its open reply names it. */
  private DeliveryOptions audioDelivery;
  private MessageConsumer<JsonObject> events;
  private long sessionBase;
  private long retainedStart;
  private long written;
  private int sendIndex;
  private int inFlight;
  private int openAttemptsLeft;
  private long timer = -1;
  private long seq;
  private int resumes;
  private long droppedReplayBytes;
  private long finalizedUpTo;
  private long lostBytes;
  private String lossReason;

  private ResumableSession(Vertx vertx, ResumableSessionOptions options) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = new ResumableSessionOptions(options);
    this.bytesPerSecond = options.getSampleRate() * 2;
  }

  /** Opens the first session; fails if no node takes it within {@code openAttempts}. */
  public static Future<ResumableSession> open(Vertx vertx, ResumableSessionOptions options) {
    AudioCodec.register(vertx);
    ResumableSession resumable = new ResumableSession(vertx, options);
    resumable.context.runOnContext(v -> resumable.openSession(null));
    return resumable.firstOpen.future();
  }

  /** Every event of the transcription, renumbered and on one time line; {@code closed} only at the very end. */
  public ResumableSession handler(Handler<JsonObject> handler) {
    onContext(() -> this.handler = handler == null ? e -> { } : handler);
    return this;
  }

  /**
   * Told after each resume: {@code {"previousSessionId","sessionId","node","reason",
   * "replayedBytes","offsetSeconds"}}.
   */
  public ResumableSession resumeHandler(Handler<JsonObject> handler) {
    onContext(() -> this.resumeHandler = handler == null ? e -> { } : handler);
    return this;
  }

  /**
   * Queues pcm_s16le mono audio (an even number of bytes at {@code sampleRate}); completes when a
   * session has accepted it. {@code pcm} is copied at once, so the caller may reuse it.
   */
  public Future<Void> write(Buffer pcm) {
    return writeOwned(pcm.copy());
  }

  /**
   * As {@link #write}, for audio that nobody changes any more (the body of a bus message): it is
   * kept, and sent on, without a copy.
   */
  Future<Void> writeOwned(Buffer pcm) {
    if (!AudioFormat.isWholeSamples(pcm.length())) {
      return Future.failedFuture(new IllegalArgumentException(AudioFormat.oddLengthMessage(pcm.length())));
    }
    Promise<Void> accepted = Promise.promise();
    onContext(() -> {
      if (state == State.CLOSED || endRequested) {
        accepted.fail(new IllegalStateException("the session is " + (endRequested ? "ending" : "closed")));
        return;
      }
      retained.add(new Chunk(written, pcm, accepted));
      written += pcm.length();
      pump();
    });
    return accepted.future();
  }

  /**
   * Sends all queued audio, then ends the session; completes with the last ({@code closed}) event
   * once the final transcript has been delivered, across as many resumes as it takes.
   */
  public Future<JsonObject> end() {
    onContext(() -> {
      endRequested = true;
      pump();
    });
    return ended.future();
  }

  /**
   * Asks the current session for a final transcript of the audio sent so far (after the audio
   * already queued); the transcription goes on.
   */
  public Future<Void> flush() {
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      if (state != State.OPEN) {
        done.fail(new IllegalStateException("no open session to flush (" + state + ")"));
        return;
      }
      vertx.eventBus().request(session.getString("controlAddress"), new JsonObject().put("action", BusContract.ACTION_FLUSH),
          delivery()).<Void>mapEmpty().onComplete(done);
    });
    return done.future();
  }

  /** Aborts without waiting for transcripts; the current session is closed if it can still be reached. */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      if (state == State.CLOSED) {
        done.complete();
        return;
      }
      if (session != null) {
        vertx.eventBus().request(session.getString("controlAddress"), new JsonObject().put("action", BusContract.ACTION_CLOSE),
            delivery());
      }
      finish(new JsonObject().put("type", BusContract.EVENT_CLOSED).put("reason", BusContract.REASON_CLOSED), null);
      done.complete();
    });
    return done.future();
  }

  /** The id of the session in use now (it changes on a resume). */
  public String sessionId() {
    return sessionId;
  }

  /** The node of the session in use now, as its open reply names it. */
  public String node() {
    return session == null ? null : session.getString("node");
  }

  /** How many times the transcription moved to a new session. */
  public int resumes() {
    return resumes;
  }

  /** Audio lost to the transcript on a resume: dropped beyond {@code maxReplayBytes} before it was final. */
  public long lostBytes() {
    return lostBytes;
  }

  /**
   * Changes model, language or extra of the current session and of every later one; completes with
   * the session's status reply.
   */
  public Future<JsonObject> update(JsonObject fields) {
    Promise<JsonObject> done = Promise.promise();
    onContext(() -> {
      if (state != State.OPEN) {
        done.fail(new IllegalStateException("no open session to update (" + state + ")"));
        return;
      }
      JsonObject request = new JsonObject().put("action", BusContract.ACTION_UPDATE);
      JsonObject open = options.getOpen().copy();
      for (String key : new String[] {"model", "language", "extra"}) {
        if (fields.getValue(key) != null) {
          request.put(key, fields.getValue(key));
          open.put(key, fields.getValue(key));
        }
      }
      vertx.eventBus().<JsonObject>request(session.getString("controlAddress"), request, delivery())
          .map(reply -> {
            options.setOpen(open);
            return reply.body();
          })
          .onComplete(done);
    });
    return done.future();
  }

  /** Sent audio dropped from the replay buffer because it exceeded {@code maxReplayBytes}. */
  public long droppedReplayBytes() {
    return droppedReplayBytes;
  }

  // ------------------------------------------------------------ sessions

  /** Opens a session (retrying with the same id, which makes the open idempotent). */
  private void openSession(String reason) {
    generation++;
    long gen = generation;
    state = State.OPENING;
    inFlight = 0;
    String previous = sessionId;
    String id = SessionIds.random("r");
    String eventsAddress = options.getEventsAddress() != null ? options.getEventsAddress()
        : BusContract.defaultEventsAddress(options.getPrefix(), id);
    MessageConsumer<JsonObject> old = events;
    if (old != null) {
      old.unregister();
    }
    events = vertx.eventBus().consumer(eventsAddress, msg -> onEvent(gen, msg.body()));
    openAttemptsLeft = options.getOpenAttempts();
    JsonObject request = options.getOpen().copy()
        .put("sampleRate", options.getSampleRate())
        .put("sessionId", id);
    if (options.getEventsAddress() != null) {
      request.put("eventsAddress", eventsAddress);
    }
    events.completion().onComplete(ar -> tryOpen(gen, request, previous, reason));
  }

  private void tryOpen(long gen, JsonObject request, String previous, String reason) {
    if (gen != generation || state == State.CLOSED) {
      return;
    }
    openAttemptsLeft--;
    vertx.eventBus().<JsonObject>request(BusContract.openAddress(options.getPrefix()), request, delivery()).onComplete(ar -> {
      if (gen != generation || state == State.CLOSED) {
        return;
      }
      if (ar.succeeded()) {
        onOpened(ar.result().body(), previous, reason);
        return;
      }
      Throwable cause = ar.cause();
      boolean retryable = !(cause instanceof ReplyException e && NOT_RETRYABLE_OPEN.contains(e.failureCode()));
      if (!retryable || openAttemptsLeft <= 0) {
        giveUp(cause);
        return;
      }
      LOG.debug("open failed ({}), trying again", cause.getMessage());
      timer = vertx.setTimer(options.getReopenDelayMs(), t -> {
        timer = -1;
        tryOpen(gen, request, previous, reason);
      });
    });
  }

  private void onOpened(JsonObject reply, String previous, String reason) {
    String previousNode = node();
    session = reply;
    sessionId = reply.getString("sessionId");
    audioDelivery = AudioCodec.namedIn(reply) ? delivery().setCodecName(AudioCodec.NAME) : delivery();
    sessionBase = retainedStart;
    sendIndex = 0;
    state = State.OPEN;
    lossReason = null;
    if (previous == null) {
      firstOpen.complete(this);
    } else {
      resumes++;
      lostBytes += Math.max(0, retainedStart - finalizedUpTo);
      finalizedUpTo = retainedStart;
      LOG.info("transcription resumed: session {} on node {} replaces {} ({}); replaying {} bytes",
          sessionId, reply.getString("node"), previous, reason, written - retainedStart);
      resumeHandler.handle(new JsonObject()
          .put("previousSessionId", previous)
          .put("sessionId", sessionId)
          .put("node", reply.getString("node"))
          .put("reason", reason)
          .put("replayedBytes", written - retainedStart)
          .put("offsetSeconds", sessionBase / (double) bytesPerSecond));
      deliver(new JsonObject().put("sessionId", sessionId).put("type", EVENT_RECOGNITION_MOVED)
          .put("node", reply.getString("node")).put("previousNode", previousNode).put("reason", reason)
          .put("replayedBytes", written - retainedStart).put("offsetSeconds", sessionBase / (double) bytesPerSecond)
          .put("lostBytes", lostBytes));
    }
    pump();
  }

  private void giveUp(Throwable cause) {
    if (!firstOpen.future().isComplete()) {
      state = State.CLOSED;
      unregisterEvents();
      firstOpen.fail(cause);
      return;
    }
    LOG.warn("transcription lost: no node took a new session ({})", cause.getMessage());
    finishFailed("resume_failed", "no node took a new session: " + cause.getMessage(), cause);
  }

  /**
   * The session is gone. {@code waitForClosed}: it ended on a node that is still there (shutdown),
   * whose last final transcript and {@code closed} event are on their way; resume on that event,
   * or after a grace time, so audio finalized there is not sent again.
   */
  private void sessionLost(String reason, boolean waitForClosed) {
    if (state == State.CLOSED || state == State.OPENING) {
      return;
    }
    if (waitForClosed) {
      if (lossReason == null) {
        lossReason = reason;
        long gen = generation;
        timer = vertx.setTimer(options.getSendTimeoutMs(), t -> {
          timer = -1;
          if (gen == generation && state != State.CLOSED && state != State.OPENING) {
            openSession(lossReason);
          }
        });
      }
      return;
    }
    cancelTimer();
    LOG.info("session {} lost ({}); reopening", sessionId, reason);
    openSession(reason);
  }

  // ------------------------------------------------------------ audio

  private void pump() {
    if (state != State.OPEN || lossReason != null) {
      return;
    }
    while (inFlight < options.getWindow() && sendIndex < retained.size()) {
      Chunk chunk = retained.get(sendIndex++);
      inFlight++;
      long gen = generation;
      vertx.eventBus().<JsonObject>request(session.getString("audioAddress"), chunk.pcm(), audioDelivery)
          .onComplete(ar -> onAudioReply(gen, chunk, ar.succeeded() ? null : ar.cause()));
    }
    if (endRequested && inFlight == 0 && sendIndex == retained.size()) {
      sendEnd();
    }
  }

  private void onAudioReply(long gen, Chunk chunk, Throwable failure) {
    if (gen != generation || state == State.CLOSED) {
      return;
    }
    inFlight--;
    if (failure == null) {
      chunk.accepted().tryComplete();
      dropBeyondReplayLimit();
      pump();
    } else if (isNodeGone(failure)) {
      sessionLost("audio: " + failure.getMessage(), false);
    } else if (isEndedOnLiveNode(failure)) {
      sessionLost("audio: " + failure.getMessage(), true);
    } else {
      chunk.accepted().tryFail(failure);
      pump();
    }
  }

  /** Keeps at most {@code maxReplayBytes}, dropping only audio the current session has accepted. */
  private void dropBeyondReplayLimit() {
    while (!retained.isEmpty() && written - retainedStart > options.getMaxReplayBytes() && sendIndex > 0
        && retained.get(0).accepted().future().succeeded()) {
      Chunk head = retained.remove(0);
      sendIndex--;
      droppedReplayBytes += head.pcm().length();
      retainedStart = head.end();
    }
  }

  /** Audio up to this absolute offset has a final transcript: it need never be sent again. */
  private void finalUpTo(long offset) {
    long sentEnd = sendIndex == 0 ? retainedStart : retained.get(sendIndex - 1).end();
    long upTo = Math.min(offset & ~1L, sentEnd);
    while (!retained.isEmpty() && retained.get(0).offset() < upTo) {
      Chunk head = retained.get(0);
      if (head.end() <= upTo) {
        retained.remove(0);
        sendIndex = Math.max(0, sendIndex - 1);
      } else {
        int cut = (int) (upTo - head.offset());
        retained.set(0, new Chunk(upTo, head.pcm().getBuffer(cut, head.pcm().length()), head.accepted()));
      }
    }
    retainedStart = Math.max(retainedStart, upTo);
    finalizedUpTo = Math.max(finalizedUpTo, upTo);
  }

  // ------------------------------------------------------------ end

  private void sendEnd() {
    state = State.ENDING;
    long gen = generation;
    JsonObject current = session;
    vertx.eventBus().<JsonObject>request(current.getString("controlAddress"), new JsonObject().put("action", BusContract.ACTION_END),
            new DeliveryOptions().setSendTimeout(options.getSendTimeoutMs() + 30_000))
        .onComplete(ar -> {
          if (gen != generation || state == State.CLOSED) {
            return;
          }
          if (ar.succeeded()) {
            JsonObject summary = ar.result().body();
            timer = vertx.setTimer(CLOSED_EVENT_GRACE_MS, t -> {
              timer = -1;
              if (gen == generation && state != State.CLOSED) {
                deliverClosed(new JsonObject().put("sessionId", sessionId).put("type", BusContract.EVENT_CLOSED)
                    .put("reason", summary.getString("reason")).put("audioSeconds", summary.getValue("audioSeconds")));
              }
            });
          } else if (isNodeGone(ar.cause())) {
            sessionLost("end: " + ar.cause().getMessage(), false);
          } else if (isEndedOnLiveNode(ar.cause())) {
            sessionLost("end: " + ar.cause().getMessage(), true);
          } else {
            finishFailed("end_failed", String.valueOf(ar.cause().getMessage()), ar.cause());
          }
        });
  }

  // ------------------------------------------------------------ events

  private void onEvent(long gen, JsonObject event) {
    if (gen != generation || state == State.CLOSED || !event.getString("sessionId", "").equals(sessionId)) {
      return;
    }
    switch (event.getString("type", "")) {
      case BusContract.EVENT_FINAL_TRANSCRIPT -> {
        double end = 0;
        for (JsonObject alt : alternatives(event)) {
          end = Math.max(end, alt.getDouble("endTime", 0.0));
        }
        if (end > 0) {
          finalUpTo(sessionBase + Math.round(end * bytesPerSecond));
        }
        deliver(event);
      }
      case BusContract.EVENT_CLOSED -> onClosedEvent(event);
      default -> deliver(event);
    }
  }

  private void onClosedEvent(JsonObject event) {
    String reason = event.getString("reason", "");
    switch (reason) {
      case BusContract.REASON_NODE_LOST -> sessionLost(reason, false);
      case BusContract.REASON_SHUTDOWN -> {
        cancelTimer();
        lossReason = null;
        openSession(reason);
      }
      default -> {
        if (lossReason != null && !endRequested) {
          cancelTimer();
          openSession(lossReason);
        } else {
          deliverClosed(event);
        }
      }
    }
  }

  private void deliverClosed(JsonObject event) {
    finish(event, null);
  }

  /** Ends the transcription with a {@code closed} event ({@code failed}) whose error says why. */
  private void finishFailed(String code, String message, Throwable cause) {
    finish(new JsonObject().put("type", BusContract.EVENT_CLOSED).put("reason", BusContract.REASON_FAILED)
        .put("error", new JsonObject().put("code", code).put("message", message).put("retryable", false)), cause);
  }

  private void finish(JsonObject closedEvent, Throwable failure) {
    cancelTimer();
    state = State.CLOSED;
    generation++;
    unregisterEvents();
    JsonObject last = deliver(closedEvent.copy().put("sessionId", sessionId == null ? "" : sessionId));
    IllegalStateException over = new IllegalStateException("the transcription is over ("
        + last.getString("reason") + ")", failure);
    for (Chunk chunk : retained) {
      chunk.accepted().tryFail(over);
    }
    retained.clear();
    ended.tryComplete(last);
  }

  /** Renumbers and shifts an event onto the transcription's single time line, then hands it over. */
  private JsonObject deliver(JsonObject event) {
    JsonObject out = event.copy().put("seq", ++seq);
    double offset = sessionBase / (double) bytesPerSecond;
    if (offset > 0) {
      for (JsonObject alt : alternatives(out)) {
        shift(alt, offset);
        JsonArray words = alt.getJsonArray("words");
        if (words != null) {
          for (int i = 0; i < words.size(); i++) {
            shift(words.getJsonObject(i), offset);
          }
        }
      }
    }
    try {
      handler.handle(out);
    } catch (RuntimeException e) {
      LOG.warn("the event handler failed", e);
    }
    return out;
  }

  private static void shift(JsonObject timed, double offset) {
    for (String key : new String[] {"startTime", "endTime"}) {
      if (timed.getValue(key) instanceof Number n) {
        timed.put(key, n.doubleValue() + offset);
      }
    }
  }

  private static List<JsonObject> alternatives(JsonObject event) {
    JsonArray alts = event.getJsonArray("alternatives");
    List<JsonObject> list = new ArrayList<>();
    if (alts != null) {
      for (int i = 0; i < alts.size(); i++) {
        list.add(alts.getJsonObject(i));
      }
    }
    return list;
  }

  // ------------------------------------------------------------ helpers

  /** No one answers at the session's address any more, or the answer never came: its node is gone. */
  private static boolean isNodeGone(Throwable failure) {
    if (failure instanceof ReplyException e) {
      return e.failureType() == ReplyFailure.NO_HANDLERS || e.failureType() == ReplyFailure.TIMEOUT
          || e.failureType() == ReplyFailure.ERROR;
    }
    return true;
  }

  private static boolean isEndedOnLiveNode(Throwable failure) {
    return failure instanceof ReplyException e && e.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && ENDED_ON_LIVE_NODE.contains(e.failureCode());
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private DeliveryOptions delivery() {
    return new DeliveryOptions().setSendTimeout(options.getSendTimeoutMs());
  }

  private void unregisterEvents() {
    if (events != null) {
      events.unregister();
      events = null;
    }
  }

  private void cancelTimer() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
