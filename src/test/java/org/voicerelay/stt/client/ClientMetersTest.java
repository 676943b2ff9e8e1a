package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client's meters in Vert.x's default registry, against a scripted gateway: turn latency,
 * replayed audio and the breaker's transitions.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ClientMetersTest {

  private static final String TURN_LATENCY = "stt.client.turn.latency";
  private static final String REPLAYED = "stt.client.audio.replayed";
  private static final String TRANSITIONS = "stt.client.circuit.transitions";

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private Vertx vertx;
  private ScriptedGateway gateway;

  @BeforeEach
  void startMeteredVertxAndGateway(VertxTestContext ctx) {
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    gateway = new ScriptedGateway(vertx);
    gateway.start().onComplete(ctx.succeedingThenComplete());
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Answers every finalize after {@code delayMs} with a final covering all audio so far, as the cooperative gateway does. */
  private void finalsAfter(long delayMs) {
    gateway.onFrame = (c, f) -> {
      if ("session.finalize".equals(f.getString("type"))) {
        vertx.setTimer(delayMs, t -> ScriptedGateway.cooperative(c, f));
      } else {
        ScriptedGateway.cooperative(c, f);
      }
    };
  }

  @Test
  void aTurnsLatencyRunsFromTheFirstSendOfItsLastAudioToItsFinal(VertxTestContext ctx) {
    finalsAfter(400);
    vertx.runOnContext(v -> {
      SpeechStream stream = SttClient.create(vertx, gateway.options()).stream();
      stream.write(Buffer.buffer(new byte[32000]));
      stream.end().onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        Timer timer = registry.get(TURN_LATENCY).timer();
        assertEquals(1, timer.count(), "one turn, one final");
        double ms = timer.totalTime(TimeUnit.MILLISECONDS);
        assertTrue(ms >= 400 && ms < 5_000, "the gateway held the final 400 ms after the audio: " + ms);
        ctx.completeNow();
      })));
    });
  }

  @Test
  void aFinalWithoutTextEndsNoTurnAndIsNotMeasured(VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if ("session.finalize".equals(f.getString("type"))) {
        c.send(new JsonObject().put("type", "final_transcript").put("transcript", "").put("start", 0.0)
            .put("duration", 0.0));
        c.send(new JsonObject().put("type", "session.finalized"));
      } else {
        ScriptedGateway.cooperative(c, f);
      }
    };
    vertx.runOnContext(v -> {
      SpeechStream stream = SttClient.create(vertx, gateway.options()).stream();
      stream.write(Buffer.buffer(new byte[32000]));
      stream.end().onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertEquals(0, registry.get(TURN_LATENCY).timer().count());
        ctx.completeNow();
      })));
    });
  }

  @Test
  void theAudioSentAgainAfterAReconnectIsCountedInBytes(VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if (c.index == 0) {
        if ("session.create".equals(f.getString("type"))) {
          c.send(new JsonObject().put("type", "session.created"));
        } else if ("input_audio".equals(f.getString("type")) && c.audio().length == 32000) {
          c.socket.close(); // all of it unfinalized: the next connection gets it again
        }
        return;
      }
      ScriptedGateway.cooperative(c, f);
    };
    vertx.runOnContext(v -> {
      SpeechStream stream = SttClient.create(vertx, gateway.options()).stream();
      stream.write(Buffer.buffer(new byte[32000]));
      gateway.onFrame = endOnSecondConnection(gateway.onFrame, stream);
      stream.endHandler(done -> ctx.verify(() -> {
        assertEquals(2, gateway.connections.size());
        assertEquals(32000, gateway.connection(1).audio().length, "the second connection got the audio again");
        assertEquals(32000.0, registry.get(REPLAYED).counter().count());
        ctx.completeNow();
      }));
    });
  }

  @Test
  void aStreamWithoutReconnectReplaysNothing(VertxTestContext ctx) {
    vertx.runOnContext(v -> {
      SpeechStream stream = SttClient.create(vertx, gateway.options()).stream();
      stream.write(Buffer.buffer(new byte[32000]));
      stream.end().onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertEquals(0.0, registry.get(REPLAYED).counter().count());
        ctx.completeNow();
      })));
    });
  }

  @Test
  void theBreakersTransitionsAreCountedByTheStateEntered(VertxTestContext ctx) {
    AtomicBoolean opened = new AtomicBoolean();
    SttClient[] created = new SttClient[1];
    // down until the circuit has opened and left OPEN; then the probe connects and closes it
    gateway.upgradeStatus = n -> opened.get() && created[0].circuitState() != CircuitBreakerState.OPEN ? 101 : 503;
    SttOptions options = gateway.options()
        .setCircuitBreakerOptions(SttOptions.defaultCircuitBreakerOptions().setMaxFailures(2).setResetTimeout(300));
    options.getConnectOptions().setMaxRetry(5).setHealthyAfterMs(200);
    vertx.runOnContext(v -> {
      SttClient client = SttClient.create(vertx, options);
      created[0] = client;
      client.circuitStateHandler(state -> opened.compareAndSet(false, state == CircuitBreakerState.OPEN));
      ctx.verify(() -> assertEquals(0.0, transitions("open"), "registered at 0 before any transition"));
      List<Future<Void>> ended = new ArrayList<>();
      for (int i = 0; i < 3; i++) { // the circuit opens when two streams fail, not when one retries
        SpeechStream stream = client.stream();
        stream.write(Buffer.buffer(new byte[3200]));
        ended.add(stream.end());
      }
      Future.all(ended).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
        assertEquals(1.0, transitions("open"));
        assertEquals(1.0, transitions("half_open"));
        assertEquals(1.0, transitions("closed"));
        ctx.completeNow();
      })));
    });
  }

  private double transitions(String state) {
    return registry.get(TRANSITIONS).tag("state", state).counter().count();
  }

  /** After the drop: ends the stream once the second connection has its session. */
  private static java.util.function.BiConsumer<ScriptedGateway.Connection, JsonObject> endOnSecondConnection(
      java.util.function.BiConsumer<ScriptedGateway.Connection, JsonObject> inner, SpeechStream stream) {
    return (c, f) -> {
      inner.accept(c, f);
      if (c.index == 1 && "session.create".equals(f.getString("type"))) {
        stream.end();
      }
    };
  }
}
