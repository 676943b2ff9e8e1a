package org.voicerelay.stt.client.impl;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import org.voicerelay.stt.client.ConnectOptions;

/**
 * Whether the gateway at the other end of one connection is still there, in the manner of gRPC's
 * keepalive, and whether the connection has proved itself by staying up and alive (a suspect
 * connection proves nothing, so a gateway that accepts and then goes silent cannot pass for healthy). Any message or pong is
 * a sign of life, so a connection that carries transcripts is never pinged; one quiet for half the
 * ping interval gets a WebSocket ping at the next check; one from which nothing at all was heard
 * for {@code livenessTimeoutMs} is dead. TCP alone takes minutes to notice a peer that went away
 * without closing (a hung process, a NAT or load balancer that dropped the flow).
 *
 * <p>A connection quiet for half the liveness timeout is <em>suspect</em>: the stream stops sending
 * audio into it until it is heard from again, so what a dead connection swallows before it is
 * declared dead is bounded, and the replay buffer is not filled with audio sent into the void.
 *
 * <p>Checks run on the stream's context eight times every {@code pingIntervalMs} (a ping goes at
 * most once an interval), all the connections of an
 * event-loop context in one {@link LivenessSweep}; {@link #silentForMs()} may be read from any
 * thread.
 */
final class ConnectionLiveness {

  private static final Buffer PING = Buffer.buffer();

  private final WebSocket socket;
  private final ConnectOptions options;
  private final Runnable onDead;
  private final Runnable onProven;
  private final Runnable onRevived;
  private final long openedNanos = System.nanoTime();
  private volatile long lastHeardNanos = openedNanos;
  private long lastPingNanos = openedNanos;
  private boolean proven;
  private final LivenessSweep sweep;

  private ConnectionLiveness(LivenessSweep sweep, WebSocket socket, ConnectOptions options, Runnable onDead,
      Runnable onProven, Runnable onRevived) {
    this.sweep = sweep;
    this.socket = socket;
    this.options = options;
    this.onDead = onDead;
    this.onProven = onProven;
    this.onRevived = onRevived;
  }

  /**
   * Starts watching {@code socket}; on the caller's context, {@code onDead} runs once when it went
   * silent, {@code onProven} once when it stayed up and alive {@code healthyAfterMs}, and
   * {@code onRevived} when a pong ends a suspect spell.
   */
  static ConnectionLiveness watch(Vertx vertx, WebSocket socket, ConnectOptions options, Runnable onDead,
      Runnable onProven, Runnable onRevived) {
    LivenessSweep sweep = LivenessSweep.of(vertx, vertx.getOrCreateContext(), checkPeriodMs(options));
    ConnectionLiveness liveness = new ConnectionLiveness(sweep, socket, options, onDead, onProven, onRevived);
    socket.pongHandler(pong -> {
      if (liveness.heard()) {
        onRevived.run();
      }
    });
    sweep.add(liveness);
    return liveness;
  }

  /**
   * How often connections are checked: eight times a ping interval, so a dead connection is found
   * within an eighth of an interval of its deadline, not a whole one (a ping still goes once an
   * interval).
   */
  static long checkPeriodMs(ConnectOptions options) {
    long ping = options.getPingIntervalMs();
    return ping > 0 ? Math.min(Math.max(ping / 8, 50), options.getHealthyAfterMs()) : options.getHealthyAfterMs();
  }

  /**
   * The gateway sent something.
   *
   * @return whether the connection was suspect until now
   */
  boolean heard() {
    boolean wasSuspect = suspect();
    lastHeardNanos = System.nanoTime();
    return wasSuspect;
  }

  /** Quiet for half the liveness timeout: audio should wait until the gateway is heard again. */
  boolean suspect() {
    return options.getPingIntervalMs() > 0 && silentForMs() >= options.getLivenessTimeoutMs() / 2;
  }

  /** When the gateway was last heard on this connection ({@link System#nanoTime()}). */
  long lastHeardNanos() {
    return lastHeardNanos;
  }

  /** Milliseconds since the gateway was last heard on this connection. */
  long silentForMs() {
    return (System.nanoTime() - lastHeardNanos) / 1_000_000;
  }

  void stop() {
    sweep.remove(this);
  }

  /** One look at the connection, every check period (by its context's {@link LivenessSweep}). */
  void check() {
    long ping = options.getPingIntervalMs();
    long silent = silentForMs();
    if (ping > 0 && silent >= options.getLivenessTimeoutMs()) {
      stop();
      onDead.run();
      return;
    }
    if (!proven && !suspect() && (System.nanoTime() - openedNanos) / 1_000_000 >= options.getHealthyAfterMs()) {
      proven = true;
      onProven.run();
      if (ping == 0) {
        stop();
      }
    }
    long now = System.nanoTime();
    if (ping > 0 && silent >= ping / 2 && (now - lastPingNanos) / 1_000_000 >= ping) {
      lastPingNanos = now;
      socket.writePing(PING);
    }
  }
}
