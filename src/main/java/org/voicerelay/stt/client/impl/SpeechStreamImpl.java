package org.voicerelay.stt.client.impl;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamState;
import org.voicerelay.stt.client.StreamStateEvent;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.protocol.AccessToken;
import org.voicerelay.stt.protocol.GatewayUrl;
import org.voicerelay.stt.protocol.MessageType;
import org.voicerelay.stt.protocol.ProtocolCodec;
import org.voicerelay.stt.protocol.ProtocolException;
import org.voicerelay.stt.protocol.ServerMessage;

/**
 * One stream: the connection's state machine, confined to the creating context. Every public
 * method hops onto that context first (or only reads volatile fields), so nothing here needs a
 * lock.
 *
 * <p>The connection is {@link StreamState} and one timer whose meaning is the state's: the pause
 * before reconnecting ({@code WAITING_TO_RECONNECT}), the connect timeout ({@code CONNECTING}),
 * the probation until the connection proves itself ({@code CONNECTED}/{@code FINISHING}). Every
 * transition goes through {@link #setState}, which publishes it. Around it: the
 * {@link AudioOutbox} (queued audio and the replay buffer), the {@link FinishingSequence} (what
 * happens after {@code end()}), the client's {@link GatewayBreaker} and the stream's
 * {@link ReconnectPolicy}.
 */
public final class SpeechStreamImpl implements SpeechStream {

  private static final Logger LOG = LoggerFactory.getLogger(SpeechStreamImpl.class);

  private final Vertx vertx;
  private final Context context;
  private final WebSocketClient webSockets;
  private final AccessToken tokens;
  private final GatewayBreaker breaker;
  private final Consumer<SpeechStreamImpl> onClosed;
  private final String id = "stt_request_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final ConnectOptions connectOptions;
  private final int maxBufferedBytes;
  private final AudioOutbox outbox;
  private final ReconnectPolicy retries;
  private final FinishingSequence finishing;
  private final EventQueue<SpeechEvent> events = new EventQueue<>();
  private final TranscriptAssembler transcripts;
  private final GatewayBreaker.Waiter waiter = this::onCircuitChanged;
  private final Promise<Void> finished = Promise.promise();

  private SttOptions options;
  private volatile StreamState state = StreamState.CONNECTING;
  /** The one connection timer; what it does depends on {@link #state}. */
  private final TimerSlot timer;
  /** The connection attempt under way; callbacks of any other attempt are stale and ignored. */
  private GatewayBreaker.Attempt attempt;
  private WebSocket socket;
  /** The liveness watch of {@link #socket}; read by {@link #status()} from any thread. */
  private volatile ConnectionLiveness liveness;
  /** Waiting in the breaker for its circuit to change, instead of connecting. */
  private boolean parked;
  /** Woken by the half-open breaker to probe, and not yet asked for the probe's admission. */
  private boolean probeTurn;
  private volatile int reconnects;
  private Handler<StreamStateEvent> stateHandler;

  private final WriteQueue writeQueue;
  private Handler<Throwable> exceptionHandler;
  /** Why the stream failed for good, until an exception handler (perhaps set after the fact) has it. */
  private SttException undeliveredFailure;

  SpeechStreamImpl(Vertx vertx, Context context, WebSocketClient webSockets, AccessToken tokens,
      GatewayBreaker breaker, SttOptions options, int inputRate, Consumer<SpeechStreamImpl> onClosed) {
    this.timer = new TimerSlot(vertx);
    this.vertx = vertx;
    this.context = context;
    this.webSockets = webSockets;
    this.tokens = tokens;
    this.breaker = breaker;
    this.options = options;
    this.onClosed = onClosed;
    this.connectOptions = options.getConnectOptions();
    this.maxBufferedBytes = options.getMaxBufferedBytes();
    this.transcripts = new TranscriptAssembler(id, events::add);
    this.outbox = new AudioOutbox(inputRate, options.getSampleRate(), options.getReplayBufferMs(),
        transcripts::addUsage);
    this.writeQueue = new WriteQueue(options.getWriteQueueMaxSize(), outbox::pendingBytes);
    this.retries = new ReconnectPolicy(connectOptions);
    this.finishing = new FinishingSequence(vertx, new FinishingSequence.Stream() {
      @Override
      public boolean hasSocket() {
        return socket != null;
      }

      @Override
      public void sendSessionClose() {
        SpeechStreamImpl.this.sendSessionClose();
      }

      @Override
      public void finishingDone(boolean timedOut) {
        onFinishingDone(timedOut);
      }
    }, options.getFinalizationTimeoutMs(), options.getFinalQuietMs());
  }

  void start() {
    onContext(this::connect);
  }

  Context context() {
    return context;
  }

  // ---------------------------------------------------------------- connection state machine

  private void setState(StreamState next, SttException cause) {
    StreamState previous = state;
    if (previous == next) {
      return;
    }
    boolean stillConnected = (previous == StreamState.CONNECTED || previous == StreamState.FINISHING)
        && (next == StreamState.CONNECTED || next == StreamState.FINISHING);
    if (!stillConnected) {
      timer.cancel();
    }
    state = next;
    Handler<StreamStateEvent> handler = stateHandler;
    if (handler != null) {
      try {
        handler.handle(new StreamStateEvent(next, cause));
      } catch (RuntimeException e) {
        LOG.warn("stream {}: the state handler failed on {}", id, next, e); // the transition stands
      }
    }
  }

  /** Asks the client's breaker for an attempt; parks when its circuit is open. */
  private void connect() {
    if (state == StreamState.CLOSED) {
      return;
    }
    setState(StreamState.CONNECTING, null);
    probeTurn = false;
    breaker.admit().onComplete(ar -> {
      if (state != StreamState.CONNECTING || attempt != null || parked) {
        if (ar.succeeded()) {
          ar.result().succeeded();
        }
        return;
      }
      if (ar.failed()) {
        park();
      } else {
        open(ar.result());
      }
    });
  }

  private void park() {
    parked = true;
    setState(StreamState.WAITING_TO_RECONNECT, null);
    LOG.debug("stream {}: the circuit is open; waiting for the breaker's probe", id);
    breaker.park(waiter);
  }

  /** From the breaker, on any thread. */
  private void onCircuitChanged(CircuitBreakerState circuit, SttException probeFailure, int woken) {
    onContext(() -> {
      if (!parked || state == StreamState.CLOSED) {
        return;
      }
      parked = false;
      switch (circuit) {
        case OPEN -> fail(ConnectFailures.probeFailed(probeFailure));
        case HALF_OPEN -> {
          probeTurn = true;
          timer.start(jitter(connectOptions.getInitialDelayMs()), this::connect);
        }
        // released together: spread them out, about 5 ms apart on average, at most maxDelay
        case CLOSED -> timer.start(jitter(Math.min(connectOptions.getMaxDelayMs(),
            Math.max(connectOptions.getInitialDelayMs(), woken * 10L))), this::connect);
      }
    });
  }

  private static long jitter(long bound) {
    return bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1);
  }

  private void open(GatewayBreaker.Attempt current) {
    attempt = current;
    WebSocketConnectOptions connect = new WebSocketConnectOptions()
        .setAbsoluteURI(GatewayUrl.sttEndpoint(options.getBaseUrl(), options.getModel()).toString())
        .addHeader("Authorization", "Bearer " + tokens.issue())
        .addHeader("User-Agent", SttClientImpl.USER_AGENT)
        .setTimeout(connectOptions.getTimeoutMs());
    timer.start(connectOptions.getTimeoutMs(), () -> {
      if (current == attempt && state == StreamState.CONNECTING) {
        fail(ConnectFailures.timeout(connectOptions.getTimeoutMs()));
      }
    });
    webSockets.connect(connect).onComplete(ar -> onConnected(current, ar));
  }

  private void onConnected(GatewayBreaker.Attempt current, AsyncResult<WebSocket> ar) {
    if (current != attempt || state == StreamState.CLOSED) {
      if (ar.succeeded()) {
        ar.result().close();
      }
      return;
    }
    if (ar.failed()) {
      fail(ConnectFailures.of(ar.cause()));
      return;
    }
    WebSocket ws = ar.result();
    socket = ws;
    if (!WebSocketInternals.coalesceFlushes(ws)) {
      LOG.debug("stream {}: the socket is not a Vert.x internal one; flushes are not coalesced", id);
    }
    ConnectionLiveness watch = ConnectionLiveness.watch(vertx, ws, connectOptions, () -> onSilent(ws));
    liveness = watch;
    ws.textMessageHandler(text -> {
      watch.heard();
      if (current == attempt) {
        onText(text);
      }
    });
    ws.binaryMessageHandler(b -> {
      watch.heard();
      LOG.warn("stream {}: skipped a binary frame of {} bytes from the gateway", id, b.length());
    });
    ws.exceptionHandler(err -> LOG.debug("stream {}: socket error: {}", id, err.toString()));
    ws.closeHandler(v -> {
      if (current == attempt) {
        onSocketClosed(ws);
      }
    });
    ws.drainHandler(v -> sendPending());
    ws.writeTextMessage(SessionMessages.create(options));
    setState(allInputFinalized() ? StreamState.FINISHING : StreamState.CONNECTED, null);
    timer.start(connectOptions.getHealthyAfterMs(), () -> proven(current));
    long offset = outbox.replayFromUnfinalized();
    transcripts.setTimeOffset(offset / (double) outbox.sessionRate());
    sendPending();
    finishing.startWaiting();
  }

  /** The connection carried a final transcript or stayed up long enough: the budget resets. */
  private void proven(GatewayBreaker.Attempt current) {
    if (current == null || current != attempt || current.isDone()) {
      return;
    }
    retries.reset();
    if (state == StreamState.CONNECTED || state == StreamState.FINISHING) {
      timer.cancel();
    }
    current.succeeded();
  }

  private void onSocketClosed(WebSocket ws) {
    if (ws != socket) {
      return;
    }
    socket = null;
    if (state == StreamState.CLOSED) {
      return;
    }
    if (finishing.closeSent() || allInputFinalized()) {
      finish(null);
      return;
    }
    fail(new SttException(SttErrorCode.CONNECTION_CLOSED, "the gateway connection closed unexpectedly",
        true, ws.closeStatusCode() == null ? -1 : ws.closeStatusCode(), null));
  }

  /** Nothing came from the gateway for the liveness timeout: the connection is as good as dropped. */
  private void onSilent(WebSocket ws) {
    if (ws != socket || state == StreamState.CLOSED) {
      return;
    }
    fail(new SttException(SttErrorCode.GATEWAY_SILENT, "nothing heard from the gateway for "
        + connectOptions.getLivenessTimeoutMs() + " ms (no message, no pong)", true, -1, null));
  }

  /** A failure of the current connection (or of the breaker's probe): retry within the budget, or give up. */
  private void fail(SttException failure) {
    if (state == StreamState.CLOSED) {
      return;
    }
    GatewayBreaker.Attempt failed = attempt;
    attempt = null;
    if (failed != null) {
      failed.failed(failure);
    }
    dropSocket();
    if (!failure.retryable()) {
      emitError(failure);
      finish(failure);
      return;
    }
    String spent = retries.exhaustedBy(failure);
    if (spent != null) {
      SttException exhausted = new SttException(SttErrorCode.RETRIES_EXHAUSTED,
          "gave up: " + spent + "; last failure: " + failure.getMessage(), false,
          failure.statusCode(), failure);
      emitError(exhausted);
      finish(exhausted);
      return;
    }
    emitError(failure);
    long delay = retries.nextDelay();
    reconnects++;
    LOG.info("stream {}: {}; reconnecting in {} ms (retry {} of this run)", id, failure.getMessage(), delay,
        retries.used());
    setState(StreamState.WAITING_TO_RECONNECT, failure);
    events.add(new SpeechEvent(SpeechEventType.RECONNECTING, id, List.of(), 0, failure.toError()));
    timer.start(delay, this::connect);
  }

  private void emitError(SttException failure) {
    events.add(new SpeechEvent(SpeechEventType.ERROR, id, List.of(), 0, failure.toError()));
  }

  private void dropSocket() {
    WebSocket ws = socket;
    socket = null;
    ConnectionLiveness watch = liveness;
    liveness = null;
    if (watch != null) {
      watch.stop();
    }
    if (ws != null && !ws.isClosed()) {
      ws.close();
    }
    finishing.connectionLost();
  }

  /** The stream is over: ended normally ({@code failure == null}), aborted, or failed. */
  private void finish(SttException failure) {
    if (state == StreamState.CLOSED) {
      return;
    }
    GatewayBreaker.Attempt last = attempt;
    attempt = null;
    if (last != null) {
      last.succeeded(); // over without the gateway failing it
    }
    if (parked) {
      parked = false;
      breaker.unpark(waiter);
    }
    if (probeTurn) {
      probeTurn = false;
      breaker.declineProbe();
    }
    finishing.stop();
    dropSocket();
    outbox.clear();
    setState(StreamState.CLOSED, failure);
    undeliveredFailure = failure;
    deliverFailure();
    events.end();
    onClosed.accept(this);
    if (failure == null) {
      finished.tryComplete();
    } else {
      finished.tryFail(failure);
    }
    LOG.info("stream {}: closed{} after {} s of audio, {} reconnects{}", id,
        failure == null ? "" : " (" + failure.code().wireName() + ")",
        String.format("%.2f", audioSecondsSent()), reconnects,
        outbox.replayTrimmedSeconds() == 0 ? "" : String.format(", %.2f s of audio aged out of the replay buffer",
            outbox.replayTrimmedSeconds()));
  }

  /** The input ended and the gateway has finalized every byte of it. */
  private boolean allInputFinalized() {
    return finishing.started() && outbox.drained() && !outbox.hasUnfinalized();
  }

  /** No more audio, flush or end is taken: the input ended or the stream closed. */
  private boolean inputOver() {
    return finishing.started() || state == StreamState.CLOSED;
  }

  private void onFinishingDone(boolean timedOut) {
    if (!timedOut) {
      finish(null);
      return;
    }
    SttException timeout = new SttException(SttErrorCode.FINALIZATION_TIMEOUT,
        "no final transcript within " + options.getFinalizationTimeoutMs()
            + " ms after the input ended", false, -1, null);
    emitError(timeout);
    finish(timeout);
  }

  // ---------------------------------------------------------------- gateway -> client

  private void onText(String text) {
    ServerMessage message;
    try {
      message = ProtocolCodec.decodeServerMessage(text);
    } catch (ProtocolException e) {
      LOG.warn("stream {}: skipped a frame that is not the protocol: {}", id, e.getMessage());
      emitError(new SttException(SttErrorCode.PROTOCOL_ERROR, e.getMessage(), true, -1, null));
      return;
    }
    switch (message.type()) {
      case MessageType.SESSION_CREATED -> LOG.debug("stream {}: session created", id);
      case MessageType.START_OF_SPEECH -> transcripts.startOfSpeech();
      case MessageType.INTERIM_TRANSCRIPT -> {
        transcripts.transcript(message, SpeechEventType.INTERIM_TRANSCRIPT, options.getLanguage());
        finishing.transcript(false);
      }
      case MessageType.PREFLIGHT_TRANSCRIPT -> {
        transcripts.transcript(message, SpeechEventType.PREFLIGHT_TRANSCRIPT, options.getLanguage());
        finishing.transcript(false);
      }
      case MessageType.FINAL_TRANSCRIPT -> onFinalTranscript(message);
      case MessageType.SESSION_FINALIZED -> onSessionFinalized();
      case MessageType.SESSION_CLOSED -> onSessionClosed();
      case MessageType.ERROR -> onGatewayError(message);
      default -> LOG.warn("stream {}: skipped a frame of unknown type '{}'", id, message.type());
    }
  }

  private void onFinalTranscript(ServerMessage message) {
    proven(attempt);
    double end = transcripts.transcript(message, SpeechEventType.FINAL_TRANSCRIPT, options.getLanguage());
    outbox.finalCovers(Math.round(end * outbox.sessionRate()));
    finishing.transcript(true);
  }

  private void onSessionFinalized() {
    outbox.finalized();
    if (finishing.started() && !outbox.awaitingFinalized() && outbox.drained()) {
      sendSessionClose();
    }
  }

  private void onSessionClosed() {
    if (finishing.started() && outbox.drained() && (finishing.closeSent() || !outbox.awaitingFinalized())) {
      finish(null);
      return;
    }
    fail(new SttException(SttErrorCode.SESSION_CLOSED,
        "the gateway closed the session before the input ended", true, -1, null));
  }

  private void onGatewayError(ServerMessage message) {
    int code = message.code() == null ? -1 : message.code();
    String text = message.message() == null ? "no message" : message.message();
    if (code == MessageType.ERROR_CODE_INACTIVE_SESSION) {
      fail(new SttException(SttErrorCode.INACTIVE_SESSION,
          "the gateway closed the session as inactive (code 2007): " + text, false, code, null));
      return;
    }
    fail(new SttException(SttErrorCode.GATEWAY_ERROR, "the gateway reported an error (code " + code
        + "): " + text, true, code, null));
  }

  // ---------------------------------------------------------------- client -> gateway

  private void sendPending() {
    WebSocket ws = socket;
    if (ws == null || (state != StreamState.CONNECTED && state != StreamState.FINISHING)) {
      return;
    }
    outbox.sendTo(ws);
    if (finishing.started() && outbox.drained()) {
      setState(StreamState.FINISHING, null);
      finishing.flushed();
    }
    writeQueue.checkDrain();
  }

  private void sendSessionClose() {
    WebSocket ws = socket;
    if (ws == null || finishing.closeSent()) {
      return;
    }
    ws.writeTextMessage(ProtocolCodec.CLOSE_FRAME);
    finishing.closing();
  }

  // ---------------------------------------------------------------- WriteStream

  /**
   * On the stream's event loop (the usual case: an agent's audio callback or timer) the audio is
   * taken at once, and the answer is a completed future: no promise and no dispatch per 20 ms
   * frame. From another thread it hops onto the stream's context.
   */
  @Override
  public Future<Void> write(Buffer data) {
    if (WebSocketInternals.onContext(context)) {
      SttException refused = accept(data);
      return refused == null ? Future.succeededFuture() : Future.failedFuture(refused);
    }
    Promise<Void> accepted = Promise.promise();
    int length = data.length();
    writeQueue.written(length);
    onContext(() -> {
      writeQueue.arrived(length);
      SttException refused = accept(data);
      if (refused == null) {
        accepted.complete();
      } else {
        accepted.fail(refused);
      }
    });
    return accepted.future();
  }

  private SttException accept(Buffer data) {
    if (inputOver()) {
      return new SttException(SttErrorCode.STREAM_CLOSED, "audio written after the stream ended");
    }
    SttException refused = outbox.offer(data, maxBufferedBytes);
    if (refused != null) {
      return refused;
    }
    writeQueue.queued();
    sendPending();
    return null;
  }

  @Override
  public Future<Void> end() {
    onContext(() -> {
      if (inputOver()) {
        return;
      }
      outbox.requestFinalize();
      finishing.inputEnded();
      sendPending();
      if (state == StreamState.FINISHING || state == StreamState.CONNECTED) {
        finishing.startWaiting();
      }
    });
    return finished.future();
  }

  @Override
  public Future<Void> flush() {
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      if (inputOver()) {
        done.fail(new SttException(SttErrorCode.STREAM_CLOSED, "flush after the stream ended"));
        return;
      }
      outbox.requestFinalize();
      sendPending();
      done.complete();
    });
    return done.future();
  }

  /** Any thread. */
  @Override
  public boolean writeQueueFull() {
    return writeQueue.full();
  }

  /** Any thread. */
  @Override
  public SpeechStream setWriteQueueMaxSize(int maxSize) {
    writeQueue.maxSize(maxSize);
    return this;
  }

  /**
   * Any thread: set at once (a writer that finds the queue full sets it right after its write),
   * then checked on the context, so a drain that came first is not lost. Runs on the context.
   */
  @Override
  public SpeechStream drainHandler(Handler<Void> handler) {
    writeQueue.drainHandler(handler);
    onContext(writeQueue::checkDrain);
    return this;
  }

  @Override
  public void updateOptions(String model, String language, JsonObject extra) {
    onContext(() -> {
      options = options.updatedWith(model, language, extra);
      WebSocket ws = socket;
      if (ws != null && state == StreamState.CONNECTED && (model != null || language != null || extra != null)) {
        ws.writeTextMessage(SessionMessages.update(model, language, extra));
      }
    });
  }

  @Override
  public Future<Void> close() {
    onContext(() -> {
      WebSocket ws = socket;
      if (ws != null && !ws.isClosed() && !finishing.closeSent() && state != StreamState.CLOSED) {
        ws.writeTextMessage(ProtocolCodec.CLOSE_FRAME);
      }
      finish(null);
    });
    return finished.future().recover(err -> Future.succeededFuture());
  }

  // ---------------------------------------------------------------- ReadStream

  @Override
  public SpeechStream handler(Handler<SpeechEvent> handler) {
    onContext(() -> events.handler(handler));
    return this;
  }

  @Override
  public SpeechStream exceptionHandler(Handler<Throwable> handler) {
    onContext(() -> {
      exceptionHandler = handler;
      deliverFailure();
    });
    return this;
  }

  @Override
  public SpeechStream stateHandler(Handler<StreamStateEvent> handler) {
    onContext(() -> stateHandler = handler);
    return this;
  }

  /** Hands the terminal failure to the exception handler once, whichever of the two came first. */
  private void deliverFailure() {
    SttException failure = undeliveredFailure;
    if (failure != null && exceptionHandler != null) {
      undeliveredFailure = null;
      exceptionHandler.handle(failure);
    }
  }

  @Override
  public SpeechStream pause() {
    onContext(events::pause);
    return this;
  }

  @Override
  public SpeechStream resume() {
    onContext(events::resume);
    return this;
  }

  @Override
  public SpeechStream fetch(long amount) {
    onContext(() -> events.fetch(amount));
    return this;
  }

  @Override
  public SpeechStream endHandler(Handler<Void> endHandler) {
    onContext(() -> events.endHandler(endHandler));
    return this;
  }

  // ---------------------------------------------------------------- introspection (any thread)

  @Override
  public String id() {
    return id;
  }

  @Override
  public StreamState state() {
    return state;
  }

  @Override
  public long bufferedBytes() {
    return outbox.pendingBytes();
  }

  @Override
  public long replayBytes() {
    return outbox.replayBytes();
  }

  @Override
  public double audioSecondsSent() {
    return outbox.secondsSent();
  }

  @Override
  public long framesSent() {
    return outbox.framesSent();
  }

  @Override
  public JsonObject status() {
    JsonObject status = new JsonObject()
        .put("state", state.name())
        .put("inputEnded", finishing.started())
        .put("finishing", finishing.step().name())
        .put("bufferedBytes", outbox.pendingBytes())
        .put("replayBytes", outbox.replayBytes())
        .put("audioSecondsSent", audioSecondsSent())
        .put("reconnects", reconnects)
        .put("framesSent", outbox.framesSent())
        .put("replayTrimmedSeconds", outbox.replayTrimmedSeconds())
        .put("sessionSampleRate", outbox.sessionRate());
    ConnectionLiveness watch = liveness;
    if (watch != null) {
      status.put("sinceLastHeardMs", watch.silentForMs());
    }
    return status;
  }

  @Override
  public String toString() {
    return "SpeechStream{id=" + id + ", state=" + state + "}";
  }

  private void onContext(Runnable action) {
    if (WebSocketInternals.onContext(context)) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
