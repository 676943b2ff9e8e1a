package org.voicerelay.stt.client.impl;

import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.StreamState;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.internal.TimerSlot;
import org.voicerelay.stt.internal.FlushBatch;
import org.voicerelay.stt.internal.VertxInternals;
import org.voicerelay.stt.protocol.AccessToken;
import org.voicerelay.stt.protocol.GatewayUrl;
import org.voicerelay.stt.protocol.MessageType;
import org.voicerelay.stt.protocol.ProtocolCodec;
import org.voicerelay.stt.protocol.ProtocolException;
import org.voicerelay.stt.protocol.ServerMessage;

/**
 * The connection state machine of one stream, confined to the stream's context, in the manner of
 * vertx-mqtt's session: a {@link Phase} and one flag for the caller's intent, {@code inputEnded}.
 * The published {@link StreamState} is derived from them ({@code FINISHING} is {@code CONNECTED}
 * once the input ended and all of it is on the wire), and so is the {@link FinishingStep}. One
 * timer, whose meaning is the phase's: the pause before reconnecting ({@code WAITING}), the
 * connect timeout ({@code CONNECTING}), the finishing deadline ({@code CONNECTED} after the input
 * ended). Around it: the stream's {@link AudioOutbox}, the client's {@link GatewayBreaker}, the
 * stream's {@link ReconnectPolicy}, and per connection a {@link ConnectionLiveness}.
 */
final class StreamConnection {

  private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);

  /** Where the connection is. {@code PARKED} waits for the client's breaker instead of a timer. */
  private enum Phase { CONNECTING, CONNECTED, WAITING, PARKED, CLOSED }

  private final Vertx vertx;
  private final String id;
  private final WebSocketClient webSockets;
  private final AccessToken tokens;
  private final IdentificationHeaders identification;
  private final GatewayBreaker breaker;
  private final GatewayBreaker.Waiter waiter = new GatewayBreaker.Waiter() {
    @Override
    public void admitted(GatewayBreaker.Attempt attempt) {
      onContext.accept(() -> onAdmitted(attempt));
    }

    @Override
    public void parked() {
      onContext.accept(StreamConnection.this::onParked);
    }

    @Override
    public void probeFailed(SttException cause) {
      onContext.accept(() -> onProbeFailed(cause));
    }
  };
  private final ConnectOptions connectOptions;
  private final AudioOutbox outbox;
  private final StreamEvents events;
  private final TranscriptAssembler transcripts;
  private final ReconnectPolicy retries;
  private final Deafness deafness;
  private final TimerSlot timer;
  /** After each send: the write queue may have drained. */
  private final Runnable afterSend;
  private final Consumer<SttException> onFinished;
  private final Consumer<Runnable> onContext;

  private SttOptions options;
  private Phase phase = Phase.CONNECTING;
  /** The caller's intent: no more audio; close once everything is final. */
  private boolean inputEnded;
  /** A final transcript came after the input ended: what is left to wait for is quiet. */
  private boolean finalAfterEnd;
  /** The attempt under way or the open connection; null while waiting, parked or closed. */
  private GatewayConnection connection;
  /** A failure of this run of failures was counted by the breaker: the stream's retries are not. */
  private boolean failureCounted;
  private volatile StreamState published = StreamState.CONNECTING;
  private volatile FinishingStep step = FinishingStep.NOT_STARTED;
  private volatile ConnectionLiveness liveness;
  private volatile String sessionId;
  private volatile int reconnects;

  StreamConnection(Vertx vertx, String id, WebSocketClient webSockets, AccessToken tokens,
      IdentificationHeaders identification, GatewayBreaker breaker, SttOptions options, AudioOutbox outbox,
      StreamEvents events, TranscriptAssembler transcripts, Deafness deafness,
      Runnable afterSend, Consumer<SttException> onFinished, Consumer<Runnable> onContext) {
    this.vertx = vertx;
    this.id = id;
    this.webSockets = webSockets;
    this.tokens = tokens;
    this.identification = identification;
    this.breaker = breaker;
    this.options = options;
    this.connectOptions = options.getConnectOptions();
    this.outbox = outbox;
    this.events = events;
    this.transcripts = transcripts;
    this.deafness = deafness;
    this.afterSend = afterSend;
    this.onFinished = onFinished;
    this.onContext = onContext;
    this.timer = new TimerSlot(vertx);
    this.retries = new ReconnectPolicy(connectOptions);
  }

  // ---------------------------------------------------------------- what the stream asks (on its context)

  void start() {
    connect();
  }

  /** No more audio, flush or end is taken: the input ended or the stream closed. */
  boolean inputOver() {
    return inputEnded || phase == Phase.CLOSED;
  }

  /** The input ended: send the rest and the last finalize, then finish. */
  void endInput() {
    inputEnded = true;
    publish(null);
    sendPending();
    armFinishing();
  }

  /** New options for this stream's next connections, sent at once to a live session. */
  void update(String model, String language, JsonObject extra) {
    options = options.updatedWith(model, language, extra);
    if (published == StreamState.CONNECTED && (model != null || language != null || extra != null)) {
      connection.socket.writeTextMessage(SessionMessages.update(model, language, extra));
    }
  }

  /** The caller closes the stream: {@code session.close} if a session is open, then over. */
  void abort() {
    GatewayConnection current = connection;
    if (current != null && current.socket != null && !current.socket.isClosed() && !current.closeSent) {
      current.socket.writeTextMessage(ProtocolCodec.CLOSE_FRAME);
    }
    finish(null);
  }

  // ---------------------------------------------------------------- what the stream reads (any thread)

  StreamState state() {
    return published;
  }

  FinishingStep step() {
    return step;
  }

  /** The {@code X-LiveKit-Session-ID} of the latest connection attempt; null before the first. */
  String sessionId() {
    return sessionId;
  }

  /** The stream's options as they are now, live updates included. On the stream's context. */
  SttOptions options() {
    return options;
  }

  int reconnects() {
    return reconnects;
  }

  /** Milliseconds since the gateway was last heard on the open connection; null without one. */
  Long sinceLastHeardMs() {
    ConnectionLiveness watch = liveness;
    return watch == null ? null : watch.silentForMs();
  }

  // ---------------------------------------------------------------- the state machine

  /** Enters {@code next}: the timer's meaning changes with the phase, so it is cancelled. */
  private void enter(Phase next, SttException cause) {
    timer.cancel();
    phase = next;
    publish(cause);
  }

  /** Publishes the derived state if it changed; every change of what it is derived from ends here. */
  private void publish(SttException cause) {
    boolean onTheWire = connection != null && connection.socket != null && outbox.drained();
    step = FinishingStep.of(inputEnded, onTheWire, connection != null && connection.closeSent);
    StreamState next = switch (phase) {
      case CONNECTING -> StreamState.CONNECTING;
      case CONNECTED -> inputEnded && onTheWire ? StreamState.FINISHING : StreamState.CONNECTED;
      case WAITING, PARKED -> StreamState.WAITING_TO_RECONNECT;
      case CLOSED -> StreamState.CLOSED;
    };
    if (next != published) {
      published = next;
      events.stateChanged(next, cause);
    }
  }

  /** Asks the client's breaker for an attempt; it admits the stream now or parks it. */
  private void connect() {
    if (phase == Phase.CLOSED) {
      return;
    }
    enter(Phase.CONNECTING, null);
    breaker.request(waiter, !failureCounted);
  }

  private void onAdmitted(GatewayBreaker.Attempt attempt) {
    if ((phase == Phase.CONNECTING || phase == Phase.PARKED) && connection == null) {
      open(attempt);
    } else {
      attempt.abandoned();
    }
  }

  private void onParked() {
    if (phase == Phase.CONNECTING && connection == null) {
      enter(Phase.PARKED, null);
    }
  }

  /** The probe that stood in for this parked stream failed: it counts against this stream's budget. */
  private void onProbeFailed(SttException cause) {
    if (phase != Phase.PARKED) {
      return;
    }
    SttException failure = ConnectFailures.probeFailed(cause);
    String spent = retries.exhaustedBy(failure);
    if (spent != null) {
      giveUp(spent, failure);
    }
  }

  private void open(GatewayBreaker.Attempt attempt) {
    if (phase == Phase.PARKED) {
      enter(Phase.CONNECTING, null);
    }
    GatewayConnection current = new GatewayConnection(attempt);
    connection = current;
    sessionId = current.sessionId;
    WebSocketConnectOptions connect = identification.addTo(new WebSocketConnectOptions()
        .setAbsoluteURI(GatewayUrl.sttEndpoint(options.getBaseUrl(), options.getModel()).toString())
        .addHeader("Authorization", "Bearer " + tokens.issue())
        .setTimeout(connectOptions.getTimeoutMs()), current.sessionId);
    timer.start(connectOptions.getTimeoutMs(), () -> {
      if (current == connection && phase == Phase.CONNECTING) {
        fail(ConnectFailures.timeout(connectOptions.getTimeoutMs()));
      }
    });
    webSockets.connect(connect).onComplete(ar -> onConnected(current, ar));
  }

  private void onConnected(GatewayConnection current, AsyncResult<WebSocket> ar) {
    if (current != connection || phase == Phase.CLOSED) {
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
    current.socket = ws;
    current.flushes = VertxInternals.coalesceFlushes(ws);
    if (current.flushes == FlushBatch.NONE) {
      LOG.debug("stream {}: the socket is not a Vert.x internal one; flushes are not coalesced", id);
    }
    ConnectionLiveness watch = ConnectionLiveness.watch(vertx, ws, connectOptions, () -> onSilent(current),
        () -> stable(current), this::sendPending);
    current.liveness = watch;
    liveness = watch;
    ws.textMessageHandler(text -> {
      boolean revived = watch.heard();
      if (current == connection) {
        onText(text);
        if (revived) {
          sendPending();
        }
      }
    });
    ws.binaryMessageHandler(b -> {
      watch.heard();
      LOG.warn("stream {}: skipped a binary frame of {} bytes from the gateway", id, b.length());
    });
    ws.exceptionHandler(err -> LOG.debug("stream {}: socket error: {}", id, err.toString()));
    ws.closeHandler(v -> {
      if (current == connection) {
        onSocketClosed(ws);
      }
    });
    ws.drainHandler(v -> sendPending());
    ws.writeTextMessage(SessionMessages.create(options));
    long offset = outbox.replayFromUnfinalized();
    transcripts.newConnection(offset / (double) outbox.sessionRate(), current.sessionId);
    enter(Phase.CONNECTED, null);
    sendPending();
    armFinishing();
  }

  /** The gateway answered this connection's audio: the gateway serves, whatever this stream's run. */
  private void served(GatewayConnection current) {
    if (current == null || current != connection || current.served) {
      return;
    }
    current.served = true;
    failureCounted = false;
    current.attempt.served();
  }

  /**
   * The connection carried a final transcript or stayed up and alive {@code healthyAfterMs}: the
   * run of failures is over. An answer to audio alone does not reset the budget, so a gateway that
   * answers and then drops every connection still meets a stream {@code maxRetry + 1} times.
   */
  private void stable(GatewayConnection current) {
    if (current == null || current != connection) {
      return;
    }
    served(current);
    retries.reset();
  }

  /** Nothing came from the gateway for the liveness timeout: the connection is as good as dropped. */
  private void onSilent(GatewayConnection current) {
    if (current == connection && phase == Phase.CONNECTED) {
      fail(new SttException(SttErrorCode.GATEWAY_SILENT, "nothing heard from the gateway for "
          + connectOptions.getLivenessTimeoutMs() + " ms (no message, no pong)", true, -1, null));
    }
  }

  private void onSocketClosed(WebSocket ws) {
    if (phase == Phase.CLOSED) {
      return;
    }
    if (connection.closeSent || allInputFinalized()) {
      finish(null);
      return;
    }
    fail(new SttException(SttErrorCode.CONNECTION_CLOSED, "the gateway connection closed unexpectedly",
        true, ws.closeStatusCode() == null ? -1 : ws.closeStatusCode(), null));
  }

  /** A failure of the current connection (or of the breaker's probe): retry within the budget, or give up. */
  private void fail(SttException failure) {
    if (phase == Phase.CLOSED) {
      return;
    }
    dropConnection().ifPresent(failed -> {
      deafness.lost(failed.liveness == null ? System.nanoTime() : failed.liveness.lastHeardNanos(), inputEnded);
      if (!failed.served && !failure.retryable()) {
        failed.attempt.abandoned(); // refused for this stream's own reasons: says nothing of the gateway
      } else if (!failed.served) {
        failureCounted |= failed.attempt.counts();
        failed.attempt.failed(failure);
      }
    });
    if (!failure.retryable()) {
      events.error(failure);
      finish(failure);
      return;
    }
    String spent = retries.exhaustedBy(failure);
    if (spent != null) {
      giveUp(spent, failure);
      return;
    }
    events.error(failure);
    long delay = retries.nextDelay();
    reconnects++;
    LOG.info("stream {}: {}; reconnecting in {} ms (retry {} of this run)", id, failure.getMessage(), delay,
        retries.used());
    enter(Phase.WAITING, failure);
    events.reconnecting(failure);
    timer.start(delay, this::connect);
  }

  private void giveUp(String spent, SttException failure) {
    SttException exhausted = new SttException(SttErrorCode.RETRIES_EXHAUSTED,
        "gave up: " + spent + "; last failure: " + failure.getMessage(), false, failure.statusCode(), failure);
    events.error(exhausted);
    finish(exhausted);
  }

  private Optional<GatewayConnection> dropConnection() {
    GatewayConnection dropped = connection;
    connection = null;
    liveness = null;
    if (dropped != null) {
      dropped.close();
    }
    return Optional.ofNullable(dropped);
  }

  /** The stream is over: ended normally ({@code failure == null}), aborted, or failed. */
  private void finish(SttException failure) {
    if (phase == Phase.CLOSED) {
      return;
    }
    dropConnection().ifPresent(last -> {
      if (!last.served) {
        last.attempt.abandoned(); // over without the gateway failing it
      }
    });
    if (phase == Phase.PARKED || phase == Phase.CONNECTING) {
      breaker.withdraw(waiter);
    }
    deafness.over();
    outbox.clear();
    enter(Phase.CLOSED, failure);
    events.end(failure);
    onFinished.accept(failure);
    LOG.info("stream {}: closed{} after {} s of audio, {} reconnects{}", id,
        failure == null ? "" : " (" + failure.code().wireName() + ")",
        String.format("%.2f", outbox.secondsSent()), reconnects,
        outbox.replayTrimmedSeconds() == 0 ? "" : String.format(", %.2f s of audio aged out of the replay buffer",
            outbox.replayTrimmedSeconds()));
  }

  /** The input ended and the gateway has finalized every byte of it. */
  private boolean allInputFinalized() {
    return inputEnded && outbox.drained() && !outbox.hasUnfinalized();
  }

  /** While connected after {@code end()}: the timer waits for what the finishing step waits for. */
  private void armFinishing() {
    if (phase == Phase.CONNECTED && step != FinishingStep.NOT_STARTED) {
      timer.start(step.deadlineMs(finalAfterEnd, options.getFinalizationTimeoutMs(), options.getFinalQuietMs()),
          this::onFinishingDeadline);
    }
  }

  private void onFinishingDeadline() {
    if (step == FinishingStep.CLOSING) {
      finish(null);
    } else if (finalAfterEnd) {
      sendSessionClose();
    } else {
      SttException timeout = new SttException(SttErrorCode.FINALIZATION_TIMEOUT, "no final transcript within "
          + options.getFinalizationTimeoutMs() + " ms after the input ended", false, -1, null);
      events.error(timeout);
      finish(timeout);
    }
  }

  // ---------------------------------------------------------------- gateway -> client

  private void onText(String text) {
    ServerMessage message;
    try {
      message = ProtocolCodec.decodeServerMessage(text);
    } catch (ProtocolException e) {
      LOG.warn("stream {}: skipped a frame that is not the protocol: {}", id, e.getMessage());
      events.error(new SttException(SttErrorCode.PROTOCOL_ERROR, e.getMessage(), true, -1, null));
      return;
    }
    switch (message.type()) {
      case MessageType.SESSION_CREATED -> LOG.debug("stream {}: session created", id);
      case MessageType.START_OF_SPEECH -> {
        served(connection);
        transcripts.startOfSpeech();
      }
      case MessageType.INTERIM_TRANSCRIPT -> transcript(message, SpeechEventType.INTERIM_TRANSCRIPT);
      case MessageType.PREFLIGHT_TRANSCRIPT -> transcript(message, SpeechEventType.PREFLIGHT_TRANSCRIPT);
      case MessageType.FINAL_TRANSCRIPT -> {
        stable(connection);
        double end = transcript(message, SpeechEventType.FINAL_TRANSCRIPT);
        outbox.finalCovers(Math.round(end * outbox.sessionRate()));
      }
      case MessageType.SESSION_FINALIZED -> {
        served(connection);
        outbox.finalized();
        if (inputEnded && !outbox.awaitingFinalized() && outbox.drained()) {
          sendSessionClose();
        }
      }
      case MessageType.SESSION_CLOSED -> onSessionClosed();
      case MessageType.ERROR -> onGatewayError(message);
      default -> LOG.warn("stream {}: skipped a frame of unknown type '{}'", id, message.type());
    }
  }

  /** Delivers a transcript; after {@code end()} it restarts the wait (a final one turns it into quiet time). */
  private double transcript(ServerMessage message, SpeechEventType type) {
    served(connection);
    deafness.heard();
    double end = transcripts.transcript(message, type, options.getLanguage());
    if (inputEnded && step != FinishingStep.CLOSING) {
      finalAfterEnd |= type == SpeechEventType.FINAL_TRANSCRIPT;
      armFinishing();
    }
    return end;
  }

  private void onSessionClosed() {
    if (inputEnded && outbox.drained() && (connection.closeSent || !outbox.awaitingFinalized())) {
      finish(null);
      return;
    }
    fail(new SttException(SttErrorCode.SESSION_CLOSED,
        "the gateway closed the session before the input ended", true, -1, null));
  }

  private void onGatewayError(ServerMessage message) {
    fail(RetryRules.gatewayError(message.code() == null ? -1 : message.code(), message.message()));
  }

  // ---------------------------------------------------------------- client -> gateway

  /** Sends what the outbox holds, as far as the socket takes it. */
  void sendPending() {
    GatewayConnection current = connection;
    if (phase != Phase.CONNECTED || current == null || current.liveness.suspect()) {
      return;
    }
    current.flushes.batch(() -> outbox.sendTo(current.socket));
    publish(null);
    afterSend.run();
  }

  private void sendSessionClose() {
    GatewayConnection current = connection;
    if (current == null || current.socket == null || current.closeSent) {
      return;
    }
    current.socket.writeTextMessage(ProtocolCodec.CLOSE_FRAME);
    current.closeSent = true;
    publish(null);
    armFinishing();
  }

}
