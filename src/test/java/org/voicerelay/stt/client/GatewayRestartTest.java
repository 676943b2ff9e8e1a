package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.fault.FaultProxy;

/**
 * A gateway restart, as a rolling deploy or a load balancer moving a backend does it: every
 * connection is cut at the TCP level, connections are refused for the outage, then served again on
 * the same port. One client with one stream (an agent serving one call) and one client with twenty
 * stream through it in real time, with the client's default connect options; after the outage the
 * input ends and every stream must end normally with every byte it wrote on its last connection.
 */
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class GatewayRestartTest extends OnScriptedGateway {

  private static final int MANY = 20;
  private static final long CUT_AT_MS = 1_500;
  private static final long TALK_AFTER_MS = 2_000;

  @Test
  void aTwoSecondRestartCostsNeitherOneStreamNorTwentyAnything(Vertx vertx, VertxTestContext ctx) {
    restart(vertx, ctx, 2_000);
  }

  @Test
  void aFiveSecondRestartCostsNeitherOneStreamNorTwentyAnything(Vertx vertx, VertxTestContext ctx) {
    restart(vertx, ctx, 5_000);
  }

  @Test
  void anEightSecondRestartCostsNeitherOneStreamNorTwentyAnything(Vertx vertx, VertxTestContext ctx) {
    restart(vertx, ctx, 8_000);
  }

  private void restart(Vertx vertx, VertxTestContext ctx, long outageMs) {
    FaultProxy.start(vertx, gateway.port()).onComplete(ctx.succeeding(proxy -> {
      SttOptions defaults = ScriptedGateway.defaultsThrough(proxy.port());
      RealTimeSpeakers one = new RealTimeSpeakers(vertx, SttClient.create(vertx, defaults), 1);
      RealTimeSpeakers many = new RealTimeSpeakers(vertx, SttClient.create(vertx, new SttOptions(defaults)), MANY);
      vertx.setTimer(CUT_AT_MS, t -> proxy.goDown()
          .onComplete(ctx.succeeding(down -> vertx.setTimer(outageMs, t2 -> proxy.comeBack()))));
      vertx.setTimer(CUT_AT_MS + outageMs + TALK_AFTER_MS, t -> Future.join(one.end(), many.end())
          .onComplete(ended -> ctx.verify(() -> {
            verify(one, outageMs);
            verify(many, outageMs);
            System.out.printf("restart of %d ms: %d upgrades through the proxy for %d streams%n", outageMs,
                proxy.upgrades(), 1 + MANY);
            ctx.completeNow();
          })));
    }));
  }

  private void verify(RealTimeSpeakers speakers, long outageMs) {
    for (RealTimeSpeakers.Speaker s : speakers.speakers) {
      assertTrue(s.ended.succeeded(), "a " + outageMs + " ms outage ended a stream: " + s.ended.cause());
      assertTrue(s.count(SpeechEventType.RECONNECTING) >= 1, "the stream reconnected");
      byte[] written = s.written();
      assertTrue(gateway.connections.stream().anyMatch(c -> Arrays.equals(c.audio(), written)),
          "the stream's last connection carried all " + written.length + " bytes it wrote, in order");
    }
  }
}
