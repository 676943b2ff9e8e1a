package org.voicerelay.stt.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;

/**
 * The whole path a page uses, deployed into the test's Vert.x: a local gateway on a free port, an
 * {@link SttVerticle} pointed at it, and the {@link WebVerticle} on a free loopback port.
 */
final class WebTestStack {

  final Vertx vertx;
  final WebVerticle web;

  private WebTestStack(Vertx vertx, WebVerticle web) {
    this.vertx = vertx;
    this.web = web;
  }

  static Future<WebTestStack> deploy(Vertx vertx, String recognizer, Consumer<WebOptions> tweak) {
    LocalGatewayVerticle gateway = Fixtures.localGateway(recognizer);
    return vertx.deployVerticle(gateway).compose(gw -> {
      SttVerticleOptions options = new SttVerticleOptions()
          .setClient(Fixtures.clientOptions(gateway.actualPort()))
          // the test's Vert.x closes the gateway beside the verticle, so open sessions cannot end
          // gracefully at teardown and wait this long to be aborted: short, as no test here waits on it
          .setShutdownTimeoutMs(500)
          .setClosedSessionLingerMs(2_000)
          // these tests are about the browser path: a busy machine's lag or a burst of opens must
          // not refuse their opens (admission control has its own tests)
          .setAdmission(Fixtures.relaxedAdmission());
      return vertx.deployVerticle(new SttVerticle(options));
    }).compose(stt -> {
      WebOptions options = new WebOptions().setEnabled(true).setPort(0);
      tweak.accept(options);
      WebVerticle web = new WebVerticle(options);
      return vertx.deployVerticle(web).map(id -> new WebTestStack(vertx, web));
    });
  }

  int port() {
    return web.actualPort();
  }

  /** The first event of {@code type} published to {@code address}, seen from inside the JVM. */
  Future<JsonObject> nextEvent(String address, String type) {
    io.vertx.core.Promise<JsonObject> seen = io.vertx.core.Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address);
    consumer.handler(m -> {
      if (type.equals(m.body().getString("type")) && seen.tryComplete(m.body())) {
        consumer.unregister();
      }
    });
    return consumer.completion().compose(v -> seen.future());
  }
}
