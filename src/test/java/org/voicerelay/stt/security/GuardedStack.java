package org.voicerelay.stt.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.function.Consumer;
import org.voicerelay.stt.FreePort;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.bus.TcpBridgeOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;

/**
 * A node as bridge callers meet it: the local gateway (counting engine) on a free port, an
 * {@link SttVerticle} behind it, and its TCP bridge on a free loopback port, with the options the
 * test gives; meters in a registry the test can read.
 */
final class GuardedStack {

  final Vertx vertx;
  final int port;
  final MeterRegistry registry;
  final SttVerticle verticle;

  private GuardedStack(Vertx vertx, int port, MeterRegistry registry, SttVerticle verticle) {
    this.vertx = vertx;
    this.port = port;
    this.registry = registry;
    this.verticle = verticle;
  }

  static Future<GuardedStack> deploy(Vertx vertx, Consumer<TcpBridgeOptions> tweak) {
    return deploy(vertx, tweak, o -> { });
  }

  /** As above; {@code node} changes the verticle's options too (after the bridge is set). */
  static Future<GuardedStack> deploy(Vertx vertx, Consumer<TcpBridgeOptions> tweak, Consumer<SttVerticleOptions> node) {
    LocalGatewayVerticle gateway = Fixtures.localGateway("counting");
    MeterRegistry registry = new SimpleMeterRegistry();
    return vertx.deployVerticle(gateway).compose(gw -> FreePort.bind(port -> {
      TcpBridgeOptions bridge = new TcpBridgeOptions().setEnabled(true).setPort(port);
      tweak.accept(bridge);
      SttVerticleOptions options = new SttVerticleOptions()
          .setClient(Fixtures.clientOptions(gateway.actualPort()))
          // the test's Vert.x closes the gateway beside the verticle, so open sessions cannot end
          // gracefully at teardown and wait this long to be aborted: short, as no test here waits on it
          .setShutdownTimeoutMs(500)
          .setClosedSessionLingerMs(2_000)
          .setAdmission(Fixtures.relaxedAdmission())
          .setBridge(bridge);
      node.accept(options);
      SttVerticle verticle = new SttVerticle(options, registry);
      return vertx.deployVerticle(verticle).map(id -> new GuardedStack(vertx, port, registry, verticle));
    }));
  }

  Future<TcpBridgeSocket> connect() {
    return TcpBridgeSocket.connect(vertx, port);
  }

  /** Sessions opened on the node so far. */
  double sessionsOpened() {
    return registry.find("stt.sessions.opened").counter() == null ? 0
        : registry.find("stt.sessions.opened").counter().count();
  }

  /** Bridge frames refused for {@code reason}. */
  double refused(String reason) {
    var counter = registry.find(BridgeGuard.REFUSALS_METER).tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  /** {@code {"audio": base64}} of a tone of {@code bytes} bytes. */
  static JsonObject audio(int bytes) {
    Buffer pcm = Fixtures.tone(bytes);
    return new JsonObject().put("audio", Base64.getEncoder().encodeToString(pcm.getBytes()));
  }
}
