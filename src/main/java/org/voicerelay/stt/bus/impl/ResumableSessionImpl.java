package org.voicerelay.stt.bus.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.audio.AudioFormat;
import org.voicerelay.stt.bus.AudioCodec;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.ResumableSession;
import org.voicerelay.stt.bus.ResumableSessionOptions;
import org.voicerelay.stt.internal.Generation;
import org.voicerelay.stt.internal.TimerSlot;
import org.voicerelay.stt.internal.VertxInternals;
import org.voicerelay.stt.tracing.TraceSpan;

/** The machinery of {@link ResumableSession}: see there for what it does and promises. */
public final class ResumableSessionImpl implements ResumableSession {

  private static final Logger LOG = LoggerFactory.getLogger(ResumableSessionImpl.class);
  private static final long CLOSED_EVENT_GRACE_MS = 1_000;
  /** {@code end} is answered after the last final transcript: longer than a plain request. */
  private static final long END_TIMEOUT_MARGIN_MS = 30_000;

  private final Vertx vertx;
  private final Context context;
  private final ResumableSessionOptions options;
  private final TranscriptTimeline timeline;
  private final NextOpen nextOpen;
  private final OpenAttempts opens;
  private final ReplayBuffer replay;
  private final Promise<ResumableSessionImpl> firstOpen = Promise.promise();
  private final Promise<JsonObject> ended = Promise.promise();

  private Handler<JsonObject> resumeHandler = e -> { };
  private Handler<State> stateHandler = s -> { };
  private volatile State state = State.OPENING;
  private boolean endRequested;
  /** The run of the current session: callbacks of an earlier one are stale. */
  private final Generation runs = new Generation();
  private Generation.Token run;
  private volatile String sessionId;
  private volatile String node;
  private RecognizingSession session;
  private MessageConsumer<JsonObject> events;
  private final TimerSlot timer;
  private volatile int resumes;
  /** While RESUMING: why the session was lost, told on the resume. */
  private String lossReason;

  private ResumableSessionImpl(Vertx vertx, ResumableSessionOptions options, TraceSpan parent) {
    this.vertx = vertx;
    this.timer = new TimerSlot(vertx);
    this.context = vertx.getOrCreateContext();
    this.options = new ResumableSessionOptions(options);
    this.timeline = new TranscriptTimeline(options.getSampleRate());
    this.opens = new OpenAttempts(vertx, timer, BusContract.openAddress(options.getPrefix()), delivery(),
        options.getReopenDelayMs(), parent);
    this.nextOpen = new NextOpen(options.getOpen());
    this.replay = new ReplayBuffer(options.getMaxReplayBytes());
  }

  /** Opens its recognizing sessions under {@code parent} (a front's span, else {@link TraceSpan#NONE}). */
  public static Future<ResumableSessionImpl> open(Vertx vertx, ResumableSessionOptions options, TraceSpan parent) {
    AudioCodec.register(vertx);
    ResumableSessionImpl resumable = new ResumableSessionImpl(vertx, options, parent);
    resumable.context.runOnContext(v -> resumable.openSession(null));
    return resumable.firstOpen.future();
  }

  @Override
  public ResumableSession handler(Handler<JsonObject> handler) {
    onContext(() -> timeline.handler(handler));
    return this;
  }

  @Override
  public ResumableSession resumeHandler(Handler<JsonObject> handler) {
    onContext(() -> this.resumeHandler = handler == null ? e -> { } : handler);
    return this;
  }

  @Override
  public ResumableSession stateHandler(Handler<State> handler) {
    onContext(() -> this.stateHandler = handler == null ? s -> { } : handler);
    return this;
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public Future<Void> write(Buffer pcm) {
    return writeOwned(pcm.copy());
  }

  /** As {@link #write}, for audio nobody changes any more (a bus message's body): kept and sent without a copy. */
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

  @Override
  public Future<JsonObject> end() {
    onContext(() -> {
      endRequested = true;
      pump();
    });
    return ended.future();
  }

  @Override
  public Future<Void> flush() {
    JsonObject flush = new JsonObject().put("action", BusContract.ACTION_FLUSH);
    return whileOpen("to flush", () -> session.control(flush)).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      if (state == State.CLOSED) {
        done.complete();
        return;
      }
      if (session != null) {
        session.control(new JsonObject().put("action", BusContract.ACTION_CLOSE));
      }
      finish(ContractEvents.closed(BusContract.REASON_CLOSED, null), null);
      done.complete();
    });
    return done.future();
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public String node() {
    return node;
  }

  @Override
  public int resumes() {
    return resumes;
  }

  @Override
  public long lostBytes() {
    return replay.lostBytes();
  }

  @Override
  public Future<JsonObject> forward(JsonObject request) {
    return whileOpen("", () -> session.control(request));
  }

  @Override
  public Future<JsonObject> addAgentContext(String text) {
    return forward(new JsonObject().put("action", BusContract.ACTION_CONTEXT).put("text", text))
        .onSuccess(reply -> onContext(() -> nextOpen.agentContext(text)));
  }

  @Override
  public Future<JsonObject> update(JsonObject fields) {
    return whileOpen("to update",
        () -> session.control(NextOpen.updateRequest(fields)).onSuccess(reply -> nextOpen.updated(fields)));
  }

  /** Sent audio kept for a replay (no final transcript covers it yet), in bytes; on the session's context. */
  long keptBytes() {
    return replay.keptBytes();
  }

  @Override
  public long droppedReplayBytes() {
    return replay.droppedBytes();
  }

  // ------------------------------------------------------------ sessions

  /** Opens a session (retrying with the same id, which makes the open idempotent). */
  private void openSession(String reason) {
    timer.cancel();
    Generation.Token opening = runs.next();
    run = opening;
    setState(State.OPENING);
    String previous = sessionId;
    String id = SessionIds.random("r");
    String eventsAddress = options.getEventsAddress() != null ? options.getEventsAddress()
        : BusContract.defaultEventsAddress(options.getPrefix(), id);
    unregisterEvents();
    events = vertx.eventBus().consumer(eventsAddress, opening.guard(msg -> onEvent(msg.body())));
    JsonObject request = nextOpen.request(id, options.getSampleRate(), options.getEventsAddress() == null ? null
        : eventsAddress);
    BooleanSupplier wanted = opening::current;
    events.completion()
        .compose(v -> opens.open(request, options.getOpenAttempts(), wanted))
        .onComplete(ar -> {
          if (!wanted.getAsBoolean()) {
            return;
          }
          if (ar.succeeded()) {
            onOpened(ar.result(), previous, reason);
          } else {
            giveUp(ar.cause());
          }
        });
  }

  private void onOpened(JsonObject reply, String previous, String reason) {
    String previousNode = node;
    session = new RecognizingSession(vertx, reply, options.getWindow(), delivery(),
        options.getSendTimeoutMs() + END_TIMEOUT_MARGIN_MS);
    sessionId = session.id();
    node = session.node();
    timeline.restartAt(replay.rewind(previous != null));
    lossReason = null;
    setState(State.OPEN);
    if (previous == null) {
      firstOpen.complete(this);
    } else {
      resumes++;
      LOG.info("transcription resumed: session {} on node {} replaces {} ({}); replaying {} bytes",
          sessionId, node, previous, reason, replay.keptBytes());
      JsonObject moved = new JsonObject().put("sessionId", sessionId).put("node", node).put("reason", reason)
          .put("replayedBytes", replay.keptBytes()).put("offsetSeconds", timeline.baseSeconds());
      resumeHandler.handle(moved.copy().put("previousSessionId", previous));
      timeline.deliver(moved.put("type", EVENT_RECOGNITION_MOVED).put("previousNode", previousNode)
          .put("lostBytes", replay.lostBytes()));
    }
    pump();
  }

  private void giveUp(Throwable cause) {
    if (!firstOpen.future().isComplete()) {
      setState(State.CLOSED);
      runs.end();
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
        Generation.Token resuming = run;
        timer.start(options.getSendTimeoutMs(), () -> {
          if (resuming.current() && state == State.RESUMING) {
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
    while (!session.audio().writeQueueFull() && (chunk = replay.nextToSend()) != null) {
      ReplayBuffer.Chunk sending = chunk;
      session.audio().write(sending.pcm())
          .onComplete(run.guard(ar -> onAudioReply(sending, ar.succeeded() ? null : ar.cause())));
    }
    if (endRequested && session.audio().pending() == 0 && replay.allSent()) {
      sendEnd();
    }
  }

  private void onAudioReply(ReplayBuffer.Chunk chunk, Throwable failure) {
    if (failure == null) {
      replay.accepted(chunk);
      pump();
      return;
    }
    if (!lostBy("audio", failure)) {
      chunk.accepted().tryFail(failure);
      pump();
    }
  }

  // ------------------------------------------------------------ end

  private void sendEnd() {
    setState(State.ENDING);
    Generation.Token ending = run;
    session.audio().end();
    session.audio().summary().onComplete(ending.guard(ar -> {
      if (ar.failed()) {
        if (!lostBy("end", ar.cause())) {
          finishFailed("end_failed", String.valueOf(ar.cause().getMessage()), ar.cause());
        }
        return;
      }
      timer.start(CLOSED_EVENT_GRACE_MS, ending.guard(() -> finish(ContractEvents.closed(ar.result().getString("reason"),
          null).put("audioSeconds", ar.result().getValue("audioSeconds")), null)));
    }));
  }

  /** Whether {@code failure} of a request ({@code what}) says the session is lost; if so, recognition moves on. */
  private boolean lostBy(String what, Throwable failure) {
    SessionLoss loss = SessionLoss.of(failure);
    if (loss != SessionLoss.NONE) {
      sessionLost(what + ": " + failure.getMessage(), loss == SessionLoss.ENDED_ON_LIVE_NODE);
    }
    return loss != SessionLoss.NONE;
  }

  // ------------------------------------------------------------ events

  private void onEvent(JsonObject event) {
    if (!event.getString("sessionId", "").equals(sessionId)) {
      return;
    }
    switch (event.getString("type", "")) {
      case BusContract.EVENT_FINAL_TRANSCRIPT -> {
        double end = TranscriptTimes.end(event);
        if (end > 0) {
          replay.finalUpTo(timeline.bytesAt(end));
        }
        timeline.deliver(event);
      }
      case BusContract.EVENT_CLOSED -> onClosedEvent(event);
      default -> timeline.deliver(event);
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
    runs.end();
    unregisterEvents();
    JsonObject last = timeline.deliver(closedEvent.copy().put("sessionId", sessionId == null ? "" : sessionId));
    IllegalStateException over = new IllegalStateException("the transcription is over ("
        + last.getString("reason") + ")", failure);
    replay.failAll(over);
    ended.tryComplete(last);
  }

  // ------------------------------------------------------------ helpers

  private void onContext(Runnable action) {
    VertxInternals.runOn(context, action);
  }

  /** Runs {@code action} on the context if a session is open; else fails, naming what was asked ({@code what}). */
  private <T> Future<T> whileOpen(String what, Supplier<Future<T>> action) {
    Promise<T> done = Promise.promise();
    onContext(() -> {
      if (state != State.OPEN) {
        done.fail(new IllegalStateException("no open session" + (what.isEmpty() ? "" : " " + what) + " (" + state + ")"));
      } else {
        action.get().onComplete(done);
      }
    });
    return done.future();
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
