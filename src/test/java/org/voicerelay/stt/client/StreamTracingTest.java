package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.fault.FaultProxy;
import org.voicerelay.stt.internal.VertxInternals;
import org.voicerelay.stt.testing.TracedVertx;
import org.voicerelay.stt.tracing.TraceSpan;
import org.voicerelay.stt.tracing.Tracing;

/** A stream's spans (docs/operations.md, "Tracing"), read from an in-memory exporter. */
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class StreamTracingTest extends OnScriptedGateway {

  private static final String WORKER_TOKEN = "worker-token-that-must-never-be-traced-42";
  private static final int FRAME_BYTES = 3_200; // 100 ms at 16 kHz

  private TracedVertx traced;

  @BeforeEach
  void startTracedVertx() {
    traced = new TracedVertx();
  }

  @AfterEach
  void closeTracedVertx(VertxTestContext ctx) {
    traced.close().onComplete(ctx.succeedingThenComplete());
  }

  /** Writes half a second of audio, then, once {@code connections} connections took audio, ends the stream. */
  private Future<Void> talkThenEnd(Vertx vertx, VertxTestContext ctx, SttOptions options, int connections) {
    SpeechStream stream = SttClient.create(traced.vertx, options).stream();
    Promise<Void> ended = Promise.promise();
    stream.handler(event -> { });
    stream.endHandler(ended::tryComplete);
    stream.exceptionHandler(ended::tryFail);
    for (int i = 0; i < 5; i++) {
      stream.write(Buffer.buffer(new byte[FRAME_BYTES]));
    }
    until(vertx, ctx, connections + " connections with audio", () -> gateway.connections.size() >= connections
        && !gateway.connection(connections - 1).framesOfType("input_audio").isEmpty(), stream::end);
    return ended.future();
  }

  @Test
  void aDropAndTheReconnectAreEventsOfTheStreamWithTheirReasons(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = (c, frame) -> {
      if (c.index == 0 && "input_audio".equals(frame.getString("type"))) {
        c.socket.close();
      } else {
        ScriptedGateway.cooperative(c, frame);
      }
    };
    talkThenEnd(vertx, ctx, gateway.options().setWorkerToken(WORKER_TOKEN), 2)
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          SpanData stream = traced.named(Tracing.STREAM).get(0);
          List<SpanData> connections = traced.named(Tracing.CONNECTION);
          assertEquals(2, connections.size());
          connections.forEach(c -> assertEquals(stream.getSpanId(), c.getParentSpanId()));
          SpanData first = connections.get(0);
          List<Map<String, Object>> drops = TracedVertx.events(first, "connection.dropped");
          assertEquals(1, drops.size());
          assertEquals("connection_closed", drops.get(0).get("error.type"));
          assertTrue(String.valueOf(drops.get(0).get(Tracing.REASON)).contains("closed unexpectedly"), drops.toString());
          List<Map<String, Object>> reconnects = TracedVertx.events(stream, "reconnecting");
          assertEquals(1, reconnects.size());
          assertTrue(String.valueOf(reconnects.get(0).get(Tracing.REASON)).startsWith("connection_closed"));
          assertEquals(1, TracedVertx.events(connections.get(1), "replay").size(), "the unfinalized audio went again");
          assertEquals(16000L, stream.getAttributes().get(AttributeKey.longKey(Tracing.SAMPLE_RATE)));
          assertEquals(0.5, stream.getAttributes().get(AttributeKey.doubleKey(Tracing.AUDIO_SECONDS)), 1e-6);
          assertEquals(1L, stream.getAttributes().get(AttributeKey.longKey("stt.reconnects")));
          for (String value : traced.everyValue()) {
            for (String secret : List.of(ScriptedGateway.KEY, ScriptedGateway.SECRET, WORKER_TOKEN, "Bearer")) {
              assertFalse(value != null && value.contains(secret), "a span holds a secret: " + value);
            }
          }
          ctx.completeNow();
        })));
  }

  @Test
  void aGatewayGoneSilentIsALivenessVerdictOnItsConnectionsSpan(Vertx vertx, VertxTestContext ctx) {
    FaultProxy.start(vertx, gateway.port()).onComplete(ctx.succeeding(proxy -> {
      SttOptions options = ScriptedGateway.defaultsThrough(proxy.port());
      options.getConnectOptions().setPingIntervalMs(100).setLivenessTimeoutMs(600).setMaxDelayMs(50);
      SpeechStream stream = SttClient.create(traced.vertx, options).stream();
      Promise<Void> ended = Promise.promise();
      stream.handler(event -> { });
      stream.endHandler(ended::tryComplete);
      stream.exceptionHandler(ended::tryFail);
      stream.write(Buffer.buffer(new byte[FRAME_BYTES]));
      whenCreated(vertx, ctx, () -> {
        proxy.silenceAll();
        until(vertx, ctx, "a second connection", () -> gateway.connections.size() >= 2
            && !gateway.connection(1).framesOfType("session.create").isEmpty(), stream::end);
      });
      ended.future().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        SpanData first = traced.named(Tracing.CONNECTION).get(0);
        List<Map<String, Object>> verdicts = TracedVertx.events(first, "liveness.silent");
        assertEquals(1, verdicts.size());
        assertTrue(String.valueOf(verdicts.get(0).get(Tracing.REASON)).contains("nothing heard"), verdicts.toString());
        assertEquals("gateway_silent", TracedVertx.events(first, "connection.dropped").get(0).get("error.type"));
        ctx.completeNow();
      })));
    }));
  }

  @Test
  void streamsParkedByTheOpenBreakerAndReleasedByItSayWhy(Vertx vertx, VertxTestContext ctx) {
    AtomicBoolean opened = new AtomicBoolean();
    SttClient[] created = new SttClient[1];
    gateway.upgradeStatus = n -> opened.get() && created[0].circuitState() != CircuitBreakerState.OPEN ? 101 : 503;
    SttOptions options = gateway.options()
        .setCircuitBreakerOptions(SttOptions.defaultCircuitBreakerOptions().setMaxFailures(3).setResetTimeout(300));
    options.getConnectOptions().setMaxRetry(3).setHealthyAfterMs(200);
    SttClient client = SttClient.create(traced.vertx, options);
    created[0] = client;
    client.circuitStateHandler(state -> opened.compareAndSet(false, state == CircuitBreakerState.OPEN));
    List<Future<Void>> ended = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      SpeechStream stream = client.stream();
      stream.handler(event -> { });
      stream.write(Buffer.buffer(new byte[FRAME_BYTES]));
      ended.add(stream.end());
    }
    Future.all(ended).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      List<SpanData> streams = traced.named(Tracing.STREAM);
      assertEquals(6, streams.size());
      List<Map<String, Object>> parked = new ArrayList<>();
      int released = 0;
      for (SpanData stream : streams) {
        parked.addAll(TracedVertx.events(stream, "breaker.parked"));
        released += TracedVertx.events(stream, "breaker.released").size();
      }
      assertTrue(!parked.isEmpty(), "some stream waited on the open circuit");
      assertTrue(String.valueOf(parked.get(0).get(Tracing.REASON)).contains("circuit breaker is open"));
      assertTrue(released > 0, "and the breaker let it go");
      ctx.completeNow();
    })));
  }

  @Test
  void aTurnsSpanCarriesItsTranscriptionDelayAndNotItsTextByDefault(Vertx vertx, VertxTestContext ctx) {
    talkThenEnd(vertx, ctx, gateway.options(), 1).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      SpanData stream = traced.named(Tracing.STREAM).get(0);
      SpanData turn = traced.named(Tracing.TURN).get(0);
      assertEquals(stream.getSpanId(), turn.getParentSpanId());
      Double delay = turn.getAttributes().get(AttributeKey.doubleKey(Tracing.TRANSCRIPTION_DELAY));
      assertTrue(delay != null && delay >= 0 && delay < 10, "delay " + delay);
      assertNull(turn.getAttributes().get(AttributeKey.stringKey(Tracing.TRANSCRIPT)));
      ctx.completeNow();
    })));
  }

  @Test
  void aTurnsSpanCarriesItsTextWhenTheApplicationAsks(Vertx vertx, VertxTestContext ctx) {
    talkThenEnd(vertx, ctx, gateway.options().setTraceTranscripts(true), 1)
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          SpanData turn = traced.named(Tracing.TURN).get(0);
          assertEquals("heard " + 5 * FRAME_BYTES + " bytes",
              turn.getAttributes().get(AttributeKey.stringKey(Tracing.TRANSCRIPT)));
          ctx.completeNow();
        })));
  }

  @Test
  void withTracingOffThereIsNoTracerNoSpanAndTheStreamWorks(Vertx vertx, VertxTestContext ctx) {
    assertNull(VertxInternals.tracer(vertx));
    assertSame(TraceSpan.NONE, Tracing.underCurrent(vertx, Tracing.STREAM));
    SpeechStream stream = SttClient.create(vertx, gateway.options()).stream();
    Promise<SpeechEvent> finalTranscript = Promise.promise();
    stream.handler(event -> {
      if (event.type() == SpeechEventType.FINAL_TRANSCRIPT) {
        finalTranscript.tryComplete(event);
      }
    });
    stream.write(Buffer.buffer(new byte[FRAME_BYTES]));
    stream.end();
    finalTranscript.future().onComplete(ctx.succeeding(event -> ctx.verify(() -> {
      assertEquals("heard " + FRAME_BYTES + " bytes", event.alternatives().get(0).text());
      ctx.completeNow();
    })));
  }
}
