package org.voicerelay.stt.client.impl;

import io.vertx.core.http.WebSocket;
import org.voicerelay.stt.internal.FlushBatch;

/**
 * One connection attempt of a stream and, once open, its socket: what belongs to it dies with it,
 * so a callback that holds an older one can tell it is stale by identity. Confined to the stream's
 * context.
 */
final class GatewayConnection {

  final GatewayBreaker.Attempt attempt;
  /** This connection's {@code X-LiveKit-Session-ID}: new for every attempt. */
  final String sessionId = IdentificationHeaders.newSessionId();
  WebSocket socket;
  FlushBatch flushes = FlushBatch.NONE;
  ConnectionLiveness liveness;
  boolean closeSent;
  /** The gateway answered this connection's audio: the breaker has its verdict. */
  boolean served;

  GatewayConnection(GatewayBreaker.Attempt attempt) {
    this.attempt = attempt;
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
