package org.voicerelay.stt.client.impl;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import org.voicerelay.stt.client.ConnectOptions;

/**
 * Whether the gateway at the other end of one connection is still there, in the manner of gRPC's
 * keepalive. Any message or pong is a sign of life, so a connection that carries transcripts is
 * never pinged; one that has been quiet for half the interval gets a WebSocket ping at the next
 * check; one from which nothing at all was heard for {@code livenessTimeoutMs} is dead. TCP alone
 * takes minutes to notice a peer that went away without closing (a hung process, a NAT or load
 * balancer that dropped the flow).
 *
 * <p>Checks run on the stream's context; {@link #silentForMs()} may be read from any thread.
 */
final class ConnectionLiveness {

  private static final Buffer PING = Buffer.buffer();

  private final Vertx vertx;
  private final WebSocket socket;
  private final long intervalMs;
  private final long timeoutMs;
  private final Runnable onDead;
  private volatile long lastHeardNanos = System.nanoTime();
  private long timerId = -1;

  private ConnectionLiveness(Vertx vertx, WebSocket socket, ConnectOptions options, Runnable onDead) {
    this.vertx = vertx;
    this.socket = socket;
    this.intervalMs = options.getPingIntervalMs();
    this.timeoutMs = options.getLivenessTimeoutMs();
    this.onDead = onDead;
  }

  /** Starts watching {@code socket}; {@code onDead} runs once, on the caller's context. */
  static ConnectionLiveness watch(Vertx vertx, WebSocket socket, ConnectOptions options, Runnable onDead) {
    ConnectionLiveness liveness = new ConnectionLiveness(vertx, socket, options, onDead);
    socket.pongHandler(pong -> liveness.heard());
    if (options.getPingIntervalMs() > 0) {
      liveness.timerId = vertx.setPeriodic(options.getPingIntervalMs(), t -> liveness.check());
    }
    return liveness;
  }

  /** The gateway sent something. */
  void heard() {
    lastHeardNanos = System.nanoTime();
  }

  /** Milliseconds since the gateway was last heard on this connection. */
  long silentForMs() {
    return (System.nanoTime() - lastHeardNanos) / 1_000_000;
  }

  void stop() {
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }

  private void check() {
    long silent = silentForMs();
    if (silent >= timeoutMs) {
      stop();
      onDead.run();
    } else if (silent >= intervalMs / 2) {
      socket.writePing(PING);
    }
  }
}
