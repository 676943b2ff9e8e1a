package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The breaker the streams of one client share: it opens, one stream probes, all come back. */
class ClientCircuitBreakerTest extends OnScriptedGateway {

  private static final int STREAMS = 12;

  @Test
  void streamsWaitingOnAnOpenCircuitReconnectOnceTheProbeProvesTheGatewayBack(Vertx vertx,
      VertxTestContext ctx) {
    AtomicBoolean opened = new AtomicBoolean();
    SttClient[] created = new SttClient[1];
    // the gateway is down until the circuit has opened and left OPEN: an attempt already on its way
    // when the circuit opened is refused too, so that only the probe and the streams after it connect
    gateway.upgradeStatus = n -> opened.get() && created[0].circuitState() != CircuitBreakerState.OPEN ? 101 : 503;
    SttOptions options = gateway.options()
        .setCircuitBreakerOptions(SttOptions.defaultCircuitBreakerOptions().setMaxFailures(5).setResetTimeout(300));
    options.getConnectOptions().setMaxRetry(3).setHealthyAfterMs(200);
    SttClient client = SttClient.create(vertx, options);
    created[0] = client;
    List<CircuitBreakerState> circuit = new CopyOnWriteArrayList<>();
    client.circuitStateHandler(state -> {
      circuit.add(state);
      if (state == CircuitBreakerState.OPEN) {
        opened.set(true); // the gateway recovers while the circuit is open
      }
    });
    List<Future<Void>> ended = new ArrayList<>();
    List<String> finals = new CopyOnWriteArrayList<>();
    List<CircuitBreakerState> circuitWhenConnected = new CopyOnWriteArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      Promise<Void> end = Promise.promise();
      ended.add(end.future());
      // on the stream's event loop, so that its first CONNECTED cannot come before the handler is set
      vertx.runOnContext(start -> {
        SpeechStream stream = client.stream();
        stream.stateHandler(change -> {
          if (change.state() == StreamState.CONNECTED) {
            circuitWhenConnected.add(client.circuitState());
          }
        });
        stream.handler(e -> {
          if (e.type() == SpeechEventType.FINAL_TRANSCRIPT) {
            finals.add(e.text());
          }
        });
        stream.write(Buffer.buffer(new byte[3200]));
        stream.end().onComplete(end);
      });
    }
    Future.all(ended).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertEquals(List.of(CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN, CircuitBreakerState.CLOSED),
          circuit, "opened, probed once, closed");
      assertEquals(CircuitBreakerState.CLOSED, client.circuitState());
      long refused = gateway.connections.stream().filter(c -> c.socket == null).count();
      long accepted = gateway.connections.size() - refused;
      assertEquals(STREAMS, accepted, "each stream connected once the gateway was back");
      // the first attempts race the opening of the circuit: at least maxFailures of them were
      // refused, and no stream was refused twice (a stream that came late waited for the probe)
      assertTrue(refused >= 5 && refused <= STREAMS, "refused attempts: " + refused);
      assertEquals(1, circuitWhenConnected.stream().filter(CircuitBreakerState.HALF_OPEN::equals).count(),
          "one stream probed: " + circuitWhenConnected);
      assertEquals(STREAMS - 1, circuitWhenConnected.stream().filter(CircuitBreakerState.CLOSED::equals).count(),
          "the others waited for the probe to close the circuit: " + circuitWhenConnected);
      assertEquals(STREAMS, finals.size(), "every stream's audio was transcribed: " + finals);
      finals.forEach(text -> assertEquals("heard 3200 bytes", text));
      ctx.completeNow();
    })));
  }
}
