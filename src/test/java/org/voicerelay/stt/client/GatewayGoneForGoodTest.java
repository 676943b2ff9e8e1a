package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.fault.FaultProxy;

/**
 * A gateway that goes and does not come back, with the client's default connect options: one
 * client with one stream and one with twenty give up once the reconnect window has passed. Apart
 * from {@link GatewayRestartTest} (same setting) so that the two forks can run them side by side.
 */
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class GatewayGoneForGoodTest extends OnScriptedGateway {

  private static final int MANY = 20;
  private static final long CUT_AT_MS = 1_500;

  /**
   * Past the window the stream gives up at its next failure: within {@code maxDelayMs} when it is
   * retrying on its own, at the breaker's next failed probe ({@code resetTimeout}, 500 ms by
   * default) when the circuit has parked it.
   */
  @Test
  void aGatewayGoneForGoodEndsEveryStreamWithRetriesExhaustedSoonAfterTheWindow(Vertx vertx, VertxTestContext ctx) {
    long windowMs = ConnectOptions.DEFAULT_RECONNECT_WINDOW_MS;
    // not before the window (a busy machine only makes it later); the bound is loose on purpose,
    // twice the window: a stream that went on retrying misses it, a late timer on a loaded machine
    // does not (it had 2.5 s of room before)
    long boundMs = 2 * windowMs;
    FaultProxy.start(vertx, gateway.port()).onComplete(ctx.succeeding(proxy -> {
      SttOptions defaults = ScriptedGateway.defaultsThrough(proxy.port());
      RealTimeSpeakers one = new RealTimeSpeakers(vertx, SttClient.create(vertx, defaults), 1);
      RealTimeSpeakers many = new RealTimeSpeakers(vertx, SttClient.create(vertx, new SttOptions(defaults)), MANY);
      long[] downAt = new long[1];
      vertx.setTimer(CUT_AT_MS, t -> {
        downAt[0] = System.nanoTime();
        proxy.goDown();
      });
      vertx.setTimer(CUT_AT_MS + 100, t -> Future.join(one.end(), many.end()).onComplete(ended -> ctx.verify(() -> {
        long afterMs = (System.nanoTime() - downAt[0]) / 1_000_000;
        for (RealTimeSpeakers speakers : new RealTimeSpeakers[] {one, many}) {
          for (RealTimeSpeakers.Speaker s : speakers.speakers) {
            assertTrue(s.ended.failed(), "the stream failed");
            assertEquals(SttErrorCode.RETRIES_EXHAUSTED, ((SttException) s.ended.cause()).code());
          }
        }
        assertTrue(afterMs >= windowMs && afterMs <= boundMs,
            "every stream gave up " + afterMs + " ms after the gateway went, expected " + windowMs + ".." + boundMs);
        ctx.completeNow();
      })));
    }));
  }
}
