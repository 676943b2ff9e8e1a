package org.voicerelay.stt.client.impl;

import io.vertx.core.AsyncResult;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.StreamPhase;
import org.voicerelay.stt.client.StreamState;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.internal.Generation;
import org.voicerelay.stt.internal.TimerSlot;
import org.voicerelay.stt.protocol.GatewayUrl;
import org.voicerelay.stt.protocol.ProtocolCodec;

/**
 * The connection state machine of one stream, confined to the stream's context, in the manner of
 * vertx-mqtt's session: a {@link StreamPhase} and one flag for the caller's intent,
 * {@code inputEnded}. Every change of phase goes through {@link #enter} and is published, and the
 * public {@link StreamState} is the phase's {@link StreamPhase#state()}. One timer, whose meaning is
 * the phase's: the connect timeout ({@code CONNECTING}), the back-off ({@code BACKING_OFF}), and
 * while finishing the {@link Finishing} deadline of its step. Callbacks of a connection that is no
 * longer the current one are stale: each checks its connection's {@link Generation.Token}. Around
 * it: the client's {@link GatewayAccess}, the stream's {@link StreamParts} and
 * {@link ReconnectPolicy}, per connection a {@link GatewayConnection}, and the
 * {@link GatewayMessages} that reads what the gateway says.
 */
final class StreamConnection implements GatewayMessages.Machine, GatewayConnection.Listener,
    GatewayBreaker.Waiter {

  private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);

  private final String id;
  private final GatewayAccess gateway;

  private final ConnectOptions connectOptions;
  private final AudioOutbox outbox;
  private final StreamEvents events;
  private final TranscriptAssembler transcripts;
  private final Deafness deafness;
  private final StreamTrace trace;
  private final ReconnectPolicy retries;
  private final GatewayMessages messages;
  private final TimerSlot timer;
  /** Which connection is current: callbacks of any other are stale. */
  private final Generation connections = new Generation();
  /** After each send: the write queue may have drained. */
  private final Runnable afterSend;
  private final Consumer<SttException> onFinished;
  private final Consumer<Runnable> onContext;

  private SttOptions options;
  private volatile StreamPhase phase = StreamPhase.CONNECTING;
  /** The caller's intent: no more audio; close once everything is final. */
  private volatile boolean inputEnded;
  /** The attempt under way or the open connection; null while backing off, parked or closed. */
  private GatewayConnection connection;
  /** A failure of this run of failures was counted by the breaker: the stream's retries are not. */
  private boolean failureCounted;
  private volatile ConnectionLiveness liveness;
  private volatile String sessionId;
  private volatile int reconnects;

  StreamConnection(GatewayAccess gateway, StreamParts parts, SttOptions options, Runnable afterSend,
      Consumer<SttException> onFinished, Consumer<Runnable> onContext) {
    this.id = parts.id();
    this.gateway = gateway;
    this.options = options;
    this.connectOptions = options.getConnectOptions();
    this.outbox = parts.outbox();
    this.events = parts.events();
    this.transcripts = parts.transcripts();
    this.deafness = parts.deafness();
    this.trace = parts.trace();
    this.afterSend = afterSend;
    this.onFinished = onFinished;
    this.onContext = onContext;
    this.timer = new TimerSlot(gateway.vertx());
    this.retries = new ReconnectPolicy(connectOptions);
    this.messages = new GatewayMessages(id, parts, () -> this.options.getLanguage(), this);
  }

  // ---------------------------------------------------------------- what the stream asks (on its context)

  void start() {
    connect();
  }

  /** No more audio, flush or end is taken: the input ended or the stream closed. */
  boolean inputOver() {
    return inputEnded || phase == StreamPhase.CLOSED;
  }

  /** The input ended: send the rest and the last finalize, then finish. */
  void endInput() {
    inputEnded = true;
    if (phase == StreamPhase.CONNECTED) {
      timer.start(Finishing.deadlineMs(phase, options), this::onFinishingDeadline);
      sendPending();
    }
  }

  /** New options for this stream's next connections, sent at once to a live session. */
  void update(String model, String language, JsonObject extra) {
    options = options.updatedWith(model, language, extra);
    if (phase.state() == StreamState.CONNECTED && (model != null || language != null || extra != null)) {
      connection.socket.writeTextMessage(SessionMessages.update(model, language, extra));
    }
  }

  /** The caller closes the stream: {@code session.close} if a session is open, then over. */
  void abort() {
    GatewayConnection current = connection;
    if (current != null && current.socket != null && !current.socket.isClosed() && phase != StreamPhase.CLOSING) {
      current.socket.writeTextMessage(ProtocolCodec.CLOSE_FRAME);
    }
    finish(null);
  }

  // ---------------------------------------------------------------- what the stream reads (any thread)

  StreamPhase phase() {
    return phase;
  }

  /** Where finishing is, as {@code status()} shows it. */
  String finishingStep() {
    return Finishing.step(phase, inputEnded);
  }

  boolean inputEnded() {
    return inputEnded;
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

  /**
   * Enters {@code next} and publishes it. The timer's meaning changes with the phase, so it is
   * cancelled (but for the wait for the final, which runs on once the input is all out); the
   * caller starts the new phase's own.
   */
  private void enter(StreamPhase next, SttException cause) {
    if (!Finishing.keepsTheWait(phase, next)) {
      timer.cancel();
    }
    if (next != phase) {
      phase = next;
      trace.entered(next, cause);
      events.stateChanged(next, cause);
    }
  }

  /** Asks the client's breaker for an attempt; it admits the stream now or parks it. */
  private void connect() {
    if (phase == StreamPhase.CLOSED) {
      return;
    }
    enter(StreamPhase.CONNECTING, null);
    gateway.breaker().request(this, !failureCounted);
  }

  /** From the breaker's context, like {@link #parked} and {@link #probeFailed}: each hops onto the stream's. */
  @Override
  public void admitted(GatewayBreaker.Attempt attempt) {
    onContext.accept(() -> onAdmitted(attempt));
  }

  @Override
  public void parked() {
    onContext.accept(this::onParked);
  }

  @Override
  public void probeFailed(SttException cause) {
    onContext.accept(() -> onProbeFailed(cause));
  }

  private void onAdmitted(GatewayBreaker.Attempt attempt) {
    if ((phase == StreamPhase.CONNECTING || phase == StreamPhase.PARKED) && connection == null) {
      open(attempt);
    } else {
      attempt.abandoned();
    }
  }

  private void onParked() {
    if (phase == StreamPhase.CONNECTING && connection == null) {
      enter(StreamPhase.PARKED, null);
    }
  }

  /** The probe that stood in for this parked stream failed: it counts against this stream's budget. */
  private void onProbeFailed(SttException cause) {
    if (phase != StreamPhase.PARKED) {
      return;
    }
    SttException failure = ConnectFailures.probeFailed(cause);
    String spent = retries.exhaustedBy(failure);
    if (spent != null) {
      failForGood(ConnectFailures.retriesExhausted(spent, failure));
    }
  }

  private void open(GatewayBreaker.Attempt attempt) {
    enter(StreamPhase.CONNECTING, null);
    GatewayConnection current = new GatewayConnection(attempt, connections.next());
    connection = current;
    sessionId = current.sessionId;
    WebSocketConnectOptions connect = gateway.identification().addTo(new WebSocketConnectOptions()
        .setAbsoluteURI(GatewayUrl.sttEndpoint(options.getBaseUrl(), options.getModel()).toString())
        .addHeader("Authorization", "Bearer " + gateway.tokens().issue())
        .setTimeout(connectOptions.getTimeoutMs()), current.sessionId);
    timer.start(connectOptions.getTimeoutMs(),
        current.run.guard(() -> fail(ConnectFailures.timeout(connectOptions.getTimeoutMs()))));
    gateway.webSockets().connect(connect).onComplete(ar -> onConnected(current, ar));
  }

  private void onConnected(GatewayConnection current, AsyncResult<WebSocket> ar) {
    if (!current.run.current()) {
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
    current.opened(ws, gateway.vertx(), connectOptions, id, messages, this);
    liveness = current.liveness;
    ws.writeTextMessage(SessionMessages.create(options));
    long offset = outbox.replayFromUnfinalized();
    CatchUpHold.start(current, outbox, gateway.vertx(), onContext, this::sendPending);
    transcripts.newConnection(offset / (double) outbox.sessionRate(), current.sessionId);
    trace.connected(current.sessionId, offset / (double) outbox.sessionRate(), outbox.secondsSent());
    enter(StreamPhase.CONNECTED, null);
    if (inputEnded) {
      timer.start(Finishing.deadlineMs(phase, options), this::onFinishingDeadline);
    }
    sendPending();
  }

  /** The gateway answered this connection's audio: the gateway serves, whatever this stream's run. */
  @Override
  public void served() {
    GatewayConnection current = connection;
    if (current == null || current.served) {
      return;
    }
    current.served = true;
    failureCounted = false;
    retries.answered();
    current.attempt.served();
  }

  /**
   * The connection carried a final transcript or stayed up and alive {@code healthyAfterMs}: the
   * run of failures is over. An answer to audio alone does not reset the budget, so a gateway that
   * answers and then drops every connection still meets a stream {@code maxRetry + 1} times.
   */
  @Override
  public void stable() {
    if (connection == null) {
      return;
    }
    served();
    retries.reset();
  }

  /** Nothing came from the gateway for the liveness timeout: the connection is as good as dropped. */
  @Override
  public void onSilent() {
    if (phase == StreamPhase.CONNECTED || Finishing.onTheWire(phase)) {
      fail(new SttException(SttErrorCode.GATEWAY_SILENT, "nothing heard from the gateway for "
          + connectOptions.getLivenessTimeoutMs() + " ms (no message, no pong)", true, -1, null));
    }
  }

  @Override
  public void onClosed(WebSocket ws) {
    if (phase == StreamPhase.CLOSED) {
      return;
    }
    if (phase == StreamPhase.CLOSING || Finishing.onTheWire(phase) && !outbox.hasUnfinalized()) {
      finish(null);
      return;
    }
    fail(new SttException(SttErrorCode.CONNECTION_CLOSED, "the gateway connection closed unexpectedly",
        true, ws.closeStatusCode() == null ? -1 : ws.closeStatusCode(), null));
  }

  /** A failure of the current connection (or of the breaker's probe): retry within the budget, or give up. */
  @Override
  public void fail(SttException failure) {
    if (phase == StreamPhase.CLOSED) {
      return;
    }
    GatewayConnection failed = dropConnection();
    if (failed != null) {
      deafness.lost(failed.liveness == null ? System.nanoTime() : failed.liveness.lastHeardNanos(), inputEnded);
      failureCounted |= failed.reportFailure(failure);
    }
    String spent = failure.retryable() ? retries.exhaustedBy(failure) : null;
    if (!failure.retryable() || spent != null) {
      failForGood(spent == null ? failure : ConnectFailures.retriesExhausted(spent, failure));
      return;
    }
    events.error(failure);
    long delay = retries.nextDelay();
    reconnects++;
    LOG.info("stream {}: {}; reconnecting in {} ms (retry {} of this run)", id, failure.getMessage(), delay,
        retries.used());
    enter(StreamPhase.BACKING_OFF, failure);
    events.reconnecting(failure);
    timer.start(delay, this::connect);
  }

  private void failForGood(SttException failure) {
    events.error(failure);
    finish(failure);
  }

  /** Lets go of the current connection, if any: from now on its callbacks are stale. */
  private GatewayConnection dropConnection() {
    GatewayConnection dropped = connection;
    connection = null;
    liveness = null;
    connections.end();
    if (dropped != null) {
      dropped.close();
    }
    return dropped;
  }

  /** The stream is over: ended normally ({@code failure == null}), aborted, or failed. */
  private void finish(SttException failure) {
    if (phase == StreamPhase.CLOSED) {
      return;
    }
    GatewayConnection last = dropConnection();
    if (last != null) {
      last.reportOver();
    }
    if (phase == StreamPhase.PARKED || phase == StreamPhase.CONNECTING) {
      gateway.breaker().withdraw(this);
    }
    deafness.over();
    outbox.clear();
    enter(StreamPhase.CLOSED, failure);
    events.end(failure);
    onFinished.accept(failure);
    LOG.info("stream {}: closed{} after {} s of audio, {} reconnects{}", id,
        failure == null ? "" : " (" + failure.code().wireName() + ": " + failure.getMessage() + ")",
        String.format("%.2f", outbox.secondsSent()), reconnects,
        outbox.replayTrimmedSeconds() == 0 ? "" : String.format(", %.2f s of audio aged out of the replay buffer",
            outbox.replayTrimmedSeconds()));
  }

  // ---------------------------------------------------------------- finishing

  /** After {@code end()}, a transcript restarts the wait; a final one turns it into quiet time. */
  @Override
  public void transcribed(boolean isFinal) {
    if (!inputEnded || phase == StreamPhase.CLOSING) {
      return;
    }
    StreamPhase next = Finishing.afterTranscript(phase, isFinal);
    enter(next, null);
    timer.start(Finishing.deadlineMs(next, options), this::onFinishingDeadline);
  }

  /** {@code session.finalized}: once it answered the last finalize and all is sent, the session closes. */
  @Override
  public void finalized() {
    if (Finishing.onTheWire(phase) && !outbox.awaitingFinalized()) {
      sendSessionClose();
    }
  }

  @Override
  public void sessionClosed() {
    if (phase == StreamPhase.CLOSING || Finishing.onTheWire(phase) && !outbox.awaitingFinalized()) {
      finish(null);
      return;
    }
    fail(new SttException(SttErrorCode.SESSION_CLOSED,
        "the gateway closed the session before the input ended", true, -1, null));
  }

  private void onFinishingDeadline() {
    switch (phase) {
      case CLOSING -> finish(null);
      case AWAITING_QUIET -> sendSessionClose();
      default -> failForGood(new SttException(SttErrorCode.FINALIZATION_TIMEOUT, "no final transcript within "
          + options.getFinalizationTimeoutMs() + " ms after the input ended", false, -1, null));
    }
  }

  // ---------------------------------------------------------------- client -> gateway

  /** Sends what the outbox holds, as far as the socket takes it; once the input is all out, awaits the final. */
  @Override
  public void sendPending() {
    GatewayConnection current = connection;
    if (phase.state() != StreamState.CONNECTED || current == null || current.liveness.suspect()) {
      return;
    }
    current.flushes.batch(() -> outbox.sendTo(current.socket));
    if (inputEnded && outbox.drained()) {
      enter(StreamPhase.AWAITING_FINAL, null);
    }
    afterSend.run();
  }

  private void sendSessionClose() {
    GatewayConnection current = connection;
    if (current == null || current.socket == null || phase == StreamPhase.CLOSING) {
      return;
    }
    current.socket.writeTextMessage(ProtocolCodec.CLOSE_FRAME);
    enter(StreamPhase.CLOSING, null);
    timer.start(Finishing.deadlineMs(phase, options), this::onFinishingDeadline);
  }
}
