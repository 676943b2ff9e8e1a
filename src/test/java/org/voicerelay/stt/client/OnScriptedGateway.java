package org.voicerelay.stt.client;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
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
}
