package org.voicerelay.stt.client.impl;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.internal.FlushBatch;
import org.voicerelay.stt.internal.Generation;
import org.voicerelay.stt.internal.VertxInternals;

/**
 * One connection attempt of a stream and, once open, its socket and its liveness watch: what
 * belongs to it dies with it. Its callbacks go to the stream only while its {@link Generation.Token}
 * is current, so a late one from a connection the stream has let go of is stale by construction.
 * Confined to the stream's context.
 */
final class GatewayConnection {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayConnection.class);

  /** What an open connection tells its stream, while it is the current one. */
  interface Listener {
    /** Nothing heard for the liveness timeout. */
    void onSilent();

    /** Up and alive {@code healthyAfterMs}: the connection proved itself. */
    void stable();

    /** There may be room to send: the socket drained, or a suspect connection was heard again. */
    void sendPending();

    void onClosed(WebSocket socket);
  }

  final GatewayBreaker.Attempt attempt;
  final Generation.Token run;
  /** This connection's {@code X-LiveKit-Session-ID}: new for every attempt. */
  final String sessionId = IdentificationHeaders.newSessionId();
  WebSocket socket;
  FlushBatch flushes = FlushBatch.NONE;
  ConnectionLiveness liveness;
  /** The gateway answered this connection's audio: the breaker has its verdict. */
  boolean served;

  GatewayConnection(GatewayBreaker.Attempt attempt, Generation.Token run) {
    this.attempt = attempt;
    this.run = run;
  }

  /** The socket opened: watches it, and routes what the gateway says to {@code messages}, the rest to {@code listener}. */
  void opened(WebSocket ws, Vertx vertx, ConnectOptions options, String streamId, GatewayMessages messages,
      Listener listener) {
    socket = ws;
    flushes = VertxInternals.coalesceFlushes(ws);
    if (flushes == FlushBatch.NONE) {
      LOG.debug("stream {}: the socket is not a Vert.x internal one; flushes are not coalesced", streamId);
    }
    ConnectionLiveness watch = ConnectionLiveness.watch(vertx, ws, options, run.guard(listener::onSilent),
        run.guard(listener::stable), run.guard(listener::sendPending));
    liveness = watch;
    ws.textMessageHandler(run.guard(text -> {
      boolean revived = watch.heard();
      messages.onText(text);
      if (revived) {
        listener.sendPending(); // the connection was suspect: what waited goes now
      }
    }));
    ws.binaryMessageHandler(b -> {
      watch.heard();
      LOG.warn("stream {}: skipped a binary frame of {} bytes from the gateway", streamId, b.length());
    });
    ws.exceptionHandler(err -> LOG.debug("stream {}: socket error: {}", streamId, err.toString()));
    ws.closeHandler(run.guard(v -> listener.onClosed(ws)));
    ws.drainHandler(run.guard(v -> listener.sendPending()));
  }

  /**
   * Tells the breaker this connection failed, unless the gateway had served it already.
   *
   * @return whether the breaker counted the failure
   */
  boolean reportFailure(SttException failure) {
    if (served) {
      return false;
    }
    if (!failure.retryable()) {
      attempt.abandoned(); // refused for this stream's own reasons: says nothing of the gateway
      return false;
    }
    attempt.failed(failure);
    return attempt.counts();
  }

  /** The stream ended with this connection: without a verdict, the attempt says nothing of the gateway. */
  void reportOver() {
    if (!served) {
      attempt.abandoned();
    }
  }

  void close() {
    if (liveness != null) {
      liveness.stop();
    }
    if (socket != null && !socket.isClosed()) {
      socket.close();
    }
  }
}
