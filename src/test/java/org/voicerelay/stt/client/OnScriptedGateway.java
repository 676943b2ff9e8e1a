package org.voicerelay.stt.client;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** Tests of a stream against a {@link ScriptedGateway} that each test starts afresh on loopback. */
@ExtendWith(VertxExtension.class)
abstract class OnScriptedGateway {

  ScriptedGateway gateway;

  @BeforeEach
  void startGateway(Vertx vertx, VertxTestContext ctx) {
    gateway = new ScriptedGateway(vertx);
    gateway.start().onComplete(ctx.succeedingThenComplete());
  }

  /** Runs {@code then} once the gateway's first connection has its {@code session.create}: the stream is connected. */
  void whenCreated(Vertx vertx, VertxTestContext ctx, Runnable then) {
    until(vertx, ctx, "session.create", () -> !gateway.connections.isEmpty()
        && !gateway.connection(0).framesOfType("session.create").isEmpty(), then);
  }

  /**
   * Runs {@code then} on an event loop once {@code condition} holds, checked now and then every
   * 20 ms; fails the test naming {@code what} after 10 s. On a busy machine a fixed pause may be too
   * short; this is not. Each check schedules the next one-shot timer instead of cancelling a
   * periodic one: Vert.x 5 can fire a {@code setPeriodic(0, ...)} scheduled from a thread outside
   * its event loop (the test's own thread) before it has stored the timer, and {@code cancelTimer}
   * in that first firing then throws, so {@code then} never ran and the test hung until its 30 s
   * timeout (seen once under load).
   */
  static void until(Vertx vertx, VertxTestContext ctx, String what, BooleanSupplier condition, Runnable then) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    vertx.runOnContext(v -> check(vertx, ctx, what, condition, then, deadline));
  }

  private static void check(Vertx vertx, VertxTestContext ctx, String what, BooleanSupplier condition,
      Runnable then, long deadline) {
    if (condition.getAsBoolean()) {
      then.run();
    } else if (System.nanoTime() > deadline) {
      ctx.failNow(new AssertionError("waited 10 s for " + what));
    } else {
      vertx.setTimer(20, id -> check(vertx, ctx, what, condition, then, deadline));
    }
  }
}
