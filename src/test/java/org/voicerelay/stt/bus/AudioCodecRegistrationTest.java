package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;

/** Every instance and deployment of the verticle registers {@link AudioCodec}; Vert.x holds it once. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class AudioCodecRegistrationTest {

  private SttVerticleOptions options;

  @BeforeEach
  void deployGateway(Vertx vertx, VertxTestContext ctx) {
    LocalGatewayVerticle gateway = Fixtures.countingGateway();
    vertx.deployVerticle(gateway).onComplete(ctx.succeeding(id -> {
      options = new SttVerticleOptions().setClient(Fixtures.clientOptions(gateway.actualPort()))
          .setAdmission(Fixtures.relaxedAdmission()).setShutdownTimeoutMs(500);
      ctx.completeNow();
    }));
  }

  @Test
  void twoInstancesAndASecondDeploymentStartWithTheCodecRegistered(Vertx vertx, VertxTestContext ctx) {
    deployTwoInstances(vertx)
        .compose(first -> deployTwoInstances(vertx))
        .compose(second -> handedOver(vertx))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void undeployingOneDeploymentLeavesTheCodecToTheOthers(Vertx vertx, VertxTestContext ctx) {
    deployTwoInstances(vertx)
        .compose(first -> deployTwoInstances(vertx).map(second -> first))
        .compose(vertx::undeploy)
        .compose(v -> vertx.eventBus().<JsonObject>request("stt.open", new JsonObject()))
        .compose(open -> handedOver(vertx).map(open.body()))
        .onComplete(ctx.succeeding(open -> ctx.verify(() -> {
          assertEquals(AudioCodec.NAME, open.getString("audioCodec"));
          ctx.completeNow();
        })));
  }

  private Future<String> deployTwoInstances(Vertx vertx) {
    return vertx.deployVerticle(() -> new SttVerticle(options), new DeploymentOptions().setInstances(2));
  }

  /** A Buffer sent with the codec reaches a local consumer as itself (sending fails if the codec is unknown). */
  private static Future<Void> handedOver(Vertx vertx) {
    Buffer sent = Fixtures.tone(320);
    Promise<Buffer> received = Promise.promise();
    return vertx.eventBus().<Buffer>consumer("app.test.registered", (Message<Buffer> m) -> received.tryComplete(m.body()))
        .completion()
        .compose(v -> {
          vertx.eventBus().send("app.test.registered", sent, AudioCodec.deliveryOptions());
          return received.future();
        })
        .map(body -> {
          assertSame(sent, body);
          return null;
        });
  }
}
