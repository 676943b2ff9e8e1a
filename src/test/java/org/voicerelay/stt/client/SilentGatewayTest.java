package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.fault.FaultProxy;

/**
 * A gateway that goes silent without closing (a hung process, a NAT or load balancer that drops
 * the flow): 3 s into the call its connections pass nothing either way and never close. With the
 * default connect options every stream must notice within the liveness deadline, reconnect, and
 * send the new connection exactly the audio after its last final transcript.
 */
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SilentGatewayTest extends OnScriptedGateway {

  private static final long FLUSH_AT_MS = 2_000;
  private static final long SILENT_AT_MS = 3_000;
  private static final long END_AT_MS = 16_000;

  @Test
  void aGatewayThatGoesSilentIsNoticedWithinTheDeadlineAndGetsTheAudioAfterTheLastFinalInFull(Vertx vertx,
      VertxTestContext ctx) {
    ConnectOptions defaults = new ConnectOptions();
    // the last sign of life (a pong, the final) came up to one check interval before the silence,
    // so the default deadline cannot pass sooner than this; a busy machine only makes it later.
    // No tighter upper bound than the test's own end (13 s after the silence, the deadline missed
    // by more than two ping intervals): how late a loaded machine notices is not the behaviour.
    long earliest = defaults.getLivenessTimeoutMs() - defaults.getPingIntervalMs();
    FaultProxy.start(vertx, gateway.port()).onComplete(ctx.succeeding(proxy -> {
      SttOptions options = ScriptedGateway.defaultsThrough(proxy.port());
      RealTimeSpeakers one = new RealTimeSpeakers(vertx, SttClient.create(vertx, options), 1);
      RealTimeSpeakers ten = new RealTimeSpeakers(vertx, SttClient.create(vertx, new SttOptions(options)), 10);
      Map<SpeechStream, Long> noticedAt = new ConcurrentHashMap<>();
      long[] silentAt = new long[1];
      for (RealTimeSpeakers speakers : new RealTimeSpeakers[] {one, ten}) {
        for (RealTimeSpeakers.Speaker s : speakers.speakers) {
          s.stream.stateHandler(change -> {
            if (change.cause() != null && change.cause().code() == SttErrorCode.GATEWAY_SILENT) {
              noticedAt.putIfAbsent(s.stream, System.nanoTime());
            }
          });
        }
      }
      vertx.setTimer(FLUSH_AT_MS, t -> {
        one.speakers.forEach(s -> s.stream.finalizeUtterance());
        ten.speakers.forEach(s -> s.stream.finalizeUtterance());
      });
      vertx.setTimer(SILENT_AT_MS, t -> {
        silentAt[0] = System.nanoTime();
        proxy.silenceAll();
      });
      vertx.setTimer(END_AT_MS, t -> Future.join(one.end(), ten.end()).onComplete(ended -> ctx.verify(() -> {
        for (RealTimeSpeakers speakers : new RealTimeSpeakers[] {one, ten}) {
          for (RealTimeSpeakers.Speaker s : speakers.speakers) {
            assertTrue(s.ended.succeeded(), "the stream ended normally: " + s.ended.cause());
            Long at = noticedAt.get(s.stream);
            assertTrue(at != null, "the stream noticed the silence");
            long afterMs = (at - silentAt[0]) / 1_000_000;
            assertTrue(afterMs >= earliest,
                "noticed " + afterMs + " ms after the gateway went silent, the deadline is " + earliest + " ms at the soonest");
            SpeechEvent first = s.events.stream().filter(e -> e.type() == SpeechEventType.FINAL_TRANSCRIPT)
                .findFirst().orElseThrow();
            int finalized = Integer.parseInt(first.text().replaceAll("\\D", ""));
            byte[] written = s.written();
            assertTrue(finalized > 0 && finalized < written.length, "the flush finalized " + finalized + " bytes");
            byte[] afterLastFinal = Arrays.copyOfRange(written, finalized, written.length);
            assertTrue(gateway.connections.stream().anyMatch(c -> Arrays.equals(c.audio(), afterLastFinal)),
                "a new connection carried exactly the " + afterLastFinal.length
                    + " bytes after the last final, in order");
            assertEquals(1, s.count(SpeechEventType.RECONNECTING), "one reconnect");
          }
        }
        ctx.completeNow();
      })));
    }));
  }

  /**
   * A gateway that accepts every session and then goes silent must not pass for healthy by staying
   * "up": a suspect connection proves nothing, so the drops add up to the budget.
   */
  @Test
  void aGatewayThatAcceptsAndThenGoesSilentSpendsTheBudgetInsteadOfPassingForHealthy(Vertx vertx,
      VertxTestContext ctx) {
    FaultProxy.start(vertx, gateway.port()).onComplete(ctx.succeeding(proxy -> {
      proxy.silenceNewConnectionsAfter(100);
      SttOptions options = ScriptedGateway.defaultsThrough(proxy.port());
      options.getConnectOptions().setPingIntervalMs(100).setLivenessTimeoutMs(1_000).setHealthyAfterMs(800)
          .setMaxRetry(3).setReconnectWindowMs(60_000);
      RealTimeSpeakers one = new RealTimeSpeakers(vertx, SttClient.create(vertx, options), 1);
      RealTimeSpeakers.Speaker speaker = one.speakers.get(0);
      speaker.stream.exceptionHandler(err -> ctx.verify(() -> {
        one.end();
        assertEquals(SttErrorCode.RETRIES_EXHAUSTED, ((SttException) err).code());
        assertTrue(err.getMessage().contains("dropped 4 connections"), err.getMessage());
        assertEquals(4, proxy.upgrades(), "one connection and maxRetry retries");
        assertEquals(4, speaker.events.stream().filter(e -> e.type() == SpeechEventType.ERROR
            && e.error().code().equals("gateway_silent") || e.type() == SpeechEventType.ERROR
            && e.error().code().equals("retries_exhausted")).count());
        ctx.completeNow();
      }));
    }));
  }
}
