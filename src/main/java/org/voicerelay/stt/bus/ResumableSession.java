package org.voicerelay.stt.bus;

import org.voicerelay.stt.audio.AudioFormat;
import org.voicerelay.stt.internal.TimerSlot;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.client.ModelCatalog;

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
 * <p>States ({@link State}, told to the {@link #stateHandler}): OPENING to OPEN; OPEN to RESUMING
 * (ended on a live node: waiting for its {@code closed}) or OPENING (node gone), or to ENDING; any
 * to CLOSED. Every method hops onto the session's context, so nothing is locked; getters are safe
 * from any thread. One timer at a time, cancelled before another replaces it. Only sent audio beyond
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
  private static final long CLOSED_EVENT_GRACE_MS = 1_000;

  /** Where the transcription is; see the class comment for the transitions. */
  public enum State {
    /** No session: the first open, or a reopen after a loss. */
    OPENING,
    /** A session takes the audio. */
    OPEN,
    /** The session ended on a node that is still there; its {@code closed} event is awaited before reopening. */
    RESUMING,
    /** {@code end} was sent; waiting for the last final transcript and {@code closed}. */
    ENDING,
    /** Over; the handler had the {@code closed} event. */
    CLOSED
  }

  private final Vertx vertx;
  private final Context context;
  private final ResumableSessionOptions options;
  private final int bytesPerSecond;
  private final ReplayBuffer replay;
  private final Promise<ResumableSession> firstOpen = Promise.promise();
  private final Promise<JsonObject> ended = Promise.promise();

  private Handler<JsonObject> handler = e -> { };
  private Handler<JsonObject> resumeHandler = e -> { };
  private Handler<State> stateHandler = s -> { };
  private volatile State state = State.OPENING;
  private boolean endRequested;
  private long generation;
  private volatile String sessionId;
  private volatile String node;
  private JsonObject session;
  /** How audio goes to the current session: with {@link AudioCodec} if its open reply names it. */
  private DeliveryOptions audioDelivery;
  private MessageConsumer<JsonObject> events;
  private long sessionBase;
  private int inFlight;
  private int openAttemptsLeft;
  private final TimerSlot timer;
  private long seq;
  private volatile int resumes;
  /** While RESUMING: why the session was lost, told on the resume. */
  private String lossReason;

  private ResumableSession(Vertx vertx, ResumableSessionOptions options) {
    this.vertx = vertx;
    this.timer = new TimerSlot(vertx);
    this.context = vertx.getOrCreateContext();
    this.options = new ResumableSessionOptions(options);
    this.bytesPerSecond = options.getSampleRate() * 2;
    this.replay = new ReplayBuffer(options.getMaxReplayBytes());
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

  /** Told every change of {@link #state()}, on the session's context. */
  public ResumableSession stateHandler(Handler<State> handler) {
    onContext(() -> this.stateHandler = handler == null ? s -> { } : handler);
    return this;
  }

  /** Where the transcription is now. */
  public State state() {
    return state;
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
      replay.add(pcm, accepted);
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

  /** Asks the current session for a final transcript of the audio sent so far; the transcription goes on. */
  public Future<Void> flush() {
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      if (state != State.OPEN) {
        done.fail(new IllegalStateException("no open session to flush (" + state + ")"));
        return;
      }
      control(new JsonObject().put("action", BusContract.ACTION_FLUSH)).<Void>mapEmpty().onComplete(done);
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
        control(new JsonObject().put("action", BusContract.ACTION_CLOSE));
      }
      finish(ContractEvents.closed(BusContract.REASON_CLOSED, null), null);
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
    return node;
  }

  /** How many times the transcription moved to a new session. */
  public int resumes() {
    return resumes;
  }

  /** Audio lost to the transcript on a resume: dropped beyond {@code maxReplayBytes} before it was final. */
  public long lostBytes() {
    return replay.lostBytes();
  }

  /** A control request to the session recognizing now (not carried over to a later one); fails while moving. */
  public Future<JsonObject> forward(JsonObject request) {
    Promise<JsonObject> done = Promise.promise();
    onContext(() -> {
      if (state != State.OPEN) {
        done.fail(new IllegalStateException("no open session (" + state + ")"));
        return;
      }
      control(request).onComplete(done);
    });
    return done.future();
  }

  /**
   * The agent's words ({@code context}) to the session recognizing now, which checks the model and
   * sends them; once taken, every later session opens with them as {@code extra.agent_context}.
   */
  public Future<JsonObject> addAgentContext(String text) {
    return forward(new JsonObject().put("action", BusContract.ACTION_CONTEXT).put("text", text))
        .onSuccess(reply -> onContext(() -> {
          JsonObject open = options.getOpen().copy();
          options.setOpen(open.put("extra", open.getJsonObject("extra", new JsonObject()).copy()
              .put(ModelCatalog.AGENT_CONTEXT_OPTION, ModelCatalog.agentContext(text))));
        }));
  }

  /** Changes model, language, extra or keyterms of this session and every later one; completes with the status reply. */
  public Future<JsonObject> update(JsonObject fields) {
    Promise<JsonObject> done = Promise.promise();
    onContext(() -> {
      if (state != State.OPEN) {
        done.fail(new IllegalStateException("no open session to update (" + state + ")"));
        return;
      }
      JsonObject request = new JsonObject().put("action", BusContract.ACTION_UPDATE);
      JsonObject open = options.getOpen().copy();
      for (String key : new String[] {"model", "language", "extra", "keyterms"}) {
        if (fields.getValue(key) != null) {
          request.put(key, fields.getValue(key));
          open.put(key, fields.getValue(key));
        }
      }
      if (fields.getValue("extra") instanceof JsonObject extra // merged, as a live update merges it
          && options.getOpen().getValue("extra") instanceof JsonObject before) {
        open.put("extra", before.copy().mergeIn(extra));
      }
      control(request).onSuccess(reply -> options.setOpen(open)).onComplete(done);
    });
    return done.future();
  }

  /** Sent audio kept for a replay (no final transcript covers it yet), in bytes; on the session's context. */
  long keptBytes() {
    return replay.keptBytes();
  }

  /** Sent audio dropped from the replay buffer because it exceeded {@code maxReplayBytes}. */
  public long droppedReplayBytes() {
    return replay.droppedBytes();
  }

  // ------------------------------------------------------------ sessions

  /** Opens a session (retrying with the same id, which makes the open idempotent). */
  private void openSession(String reason) {
    timer.cancel();
    generation++;
    long gen = generation;
    setState(State.OPENING);
    inFlight = 0;
    String previous = sessionId;
    String id = SessionIds.random("r");
    String eventsAddress = options.getEventsAddress() != null ? options.getEventsAddress()
        : BusContract.defaultEventsAddress(options.getPrefix(), id);
    unregisterEvents();
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
      if (!SessionLoss.openMayBeRetried(cause) || openAttemptsLeft <= 0) {
        giveUp(cause);
        return;
      }
      LOG.debug("open failed ({}), trying again", cause.getMessage());
      timer.start(options.getReopenDelayMs(), () -> tryOpen(gen, request, previous, reason));
    });
  }

  private void onOpened(JsonObject reply, String previous, String reason) {
    String previousNode = node;
    session = reply;
    sessionId = reply.getString("sessionId");
    node = reply.getString("node");
    audioDelivery = AudioCodec.namedIn(reply) ? delivery().setCodecName(AudioCodec.NAME) : delivery();
    sessionBase = replay.rewind(previous != null);
    lossReason = null;
    setState(State.OPEN);
    if (previous == null) {
      firstOpen.complete(this);
    } else {
      resumes++;
      LOG.info("transcription resumed: session {} on node {} replaces {} ({}); replaying {} bytes",
          sessionId, reply.getString("node"), previous, reason, replay.keptBytes());
      JsonObject moved = new JsonObject().put("sessionId", sessionId).put("node", node).put("reason", reason)
          .put("replayedBytes", replay.keptBytes()).put("offsetSeconds", sessionBase / (double) bytesPerSecond);
      resumeHandler.handle(moved.copy().put("previousSessionId", previous));
      deliver(moved.put("type", EVENT_RECOGNITION_MOVED).put("previousNode", previousNode)
          .put("lostBytes", replay.lostBytes()));
    }
    pump();
  }

  private void giveUp(Throwable cause) {
    if (!firstOpen.future().isComplete()) {
      setState(State.CLOSED);
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
      if (state != State.RESUMING) {
        lossReason = reason;
        setState(State.RESUMING);
        long gen = generation;
        timer.start(options.getSendTimeoutMs(), () -> {
          if (gen == generation && state == State.RESUMING) {
            openSession(lossReason);
          }
        });
      }
      return;
    }
    timer.cancel();
    LOG.info("session {} lost ({}); reopening", sessionId, reason);
    openSession(reason);
  }

  // ------------------------------------------------------------ audio

  private void pump() {
    if (state != State.OPEN) {
      return;
    }
    ReplayBuffer.Chunk chunk;
    while (inFlight < options.getWindow() && (chunk = replay.nextToSend()) != null) {
      ReplayBuffer.Chunk sending = chunk;
      inFlight++;
      long gen = generation;
      vertx.eventBus().<JsonObject>request(session.getString("audioAddress"), sending.pcm(), audioDelivery)
          .onComplete(ar -> onAudioReply(gen, sending, ar.succeeded() ? null : ar.cause()));
    }
    if (endRequested && inFlight == 0 && replay.allSent()) {
      sendEnd();
    }
  }

  private void onAudioReply(long gen, ReplayBuffer.Chunk chunk, Throwable failure) {
    if (gen != generation || state == State.CLOSED) {
      return;
    }
    inFlight--;
    if (failure == null) {
      replay.accepted(chunk);
      pump();
      return;
    }
    switch (SessionLoss.of(failure)) {
      case NODE_GONE -> sessionLost("audio: " + failure.getMessage(), false);
      case ENDED_ON_LIVE_NODE -> sessionLost("audio: " + failure.getMessage(), true);
      case NONE -> {
        chunk.accepted().tryFail(failure);
        pump();
      }
    }
  }

  // ------------------------------------------------------------ end

  private void sendEnd() {
    setState(State.ENDING);
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
            timer.start(CLOSED_EVENT_GRACE_MS, () -> {
              if (gen == generation && state != State.CLOSED) {
                finish(ContractEvents.closed(summary.getString("reason"), null)
                    .put("audioSeconds", summary.getValue("audioSeconds")), null);
              }
            });
            return;
          }
          switch (SessionLoss.of(ar.cause())) {
            case NODE_GONE -> sessionLost("end: " + ar.cause().getMessage(), false);
            case ENDED_ON_LIVE_NODE -> sessionLost("end: " + ar.cause().getMessage(), true);
            case NONE -> finishFailed("end_failed", String.valueOf(ar.cause().getMessage()), ar.cause());
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
        double end = TranscriptTimes.end(event);
        if (end > 0) {
          replay.finalUpTo(sessionBase + Math.round(end * bytesPerSecond));
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
      case BusContract.REASON_SHUTDOWN -> openSession(reason);
      default -> {
        if (state == State.RESUMING && !endRequested) {
          openSession(lossReason);
        } else {
          finish(event, null);
        }
      }
    }
  }

  /** Ends the transcription with a {@code closed} event ({@code failed}) whose error says why. */
  private void finishFailed(String code, String message, Throwable cause) {
    finish(ContractEvents.failed(code, message), cause);
  }

  private void finish(JsonObject closedEvent, Throwable failure) {
    timer.cancel();
    setState(State.CLOSED);
    generation++;
    unregisterEvents();
    JsonObject last = deliver(closedEvent.copy().put("sessionId", sessionId == null ? "" : sessionId));
    IllegalStateException over = new IllegalStateException("the transcription is over ("
        + last.getString("reason") + ")", failure);
    replay.failAll(over);
    ended.tryComplete(last);
  }

  /** Renumbers and shifts an event onto the transcription's single time line, then hands it over. */
  private JsonObject deliver(JsonObject event) {
    JsonObject out = event.copy().put("seq", ++seq);
    TranscriptTimes.shift(out, sessionBase / (double) bytesPerSecond);
    try {
      handler.handle(out);
    } catch (RuntimeException e) {
      LOG.warn("the event handler failed", e);
    }
    return out;
  }

  // ------------------------------------------------------------ helpers

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /** A control request to the current session; its reply's body. */
  private Future<JsonObject> control(JsonObject request) {
    return vertx.eventBus().<JsonObject>request(session.getString("controlAddress"), request, delivery())
        .map(Message::body);
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

  private void setState(State next) {
    if (state == next) {
      return;
    }
    state = next;
    try {
      stateHandler.handle(next);
    } catch (RuntimeException e) {
      LOG.warn("the state handler failed", e);
    }
  }

}
