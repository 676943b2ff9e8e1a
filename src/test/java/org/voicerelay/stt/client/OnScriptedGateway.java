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
   * Runs {@code then} once {@code condition} holds, checked every 20 ms; fails the test naming
   * {@code what} after 10 s. On a busy machine a fixed pause may be too short; this is not.
   */
  static void until(Vertx vertx, VertxTestContext ctx, String what, BooleanSupplier condition, Runnable then) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    // set from the event loop: a periodic timer set from another thread can fire before Vert.x
    // holds its future, and cancelling it then throws and leaves it disposed but never run again
    vertx.runOnContext(start -> {
      vertx.setPeriodic(0, 20, id -> {
        if (condition.getAsBoolean()) {
          vertx.cancelTimer(id);
          then.run();
        } else if (System.nanoTime() > deadline) {
          vertx.cancelTimer(id);
          ctx.failNow(new AssertionError("waited 10 s for " + what));
        }
      });
    });
  }
}
