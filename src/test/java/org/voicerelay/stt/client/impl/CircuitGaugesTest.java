package org.voicerelay.stt.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The breaker's state as gauges: 1 for the current state, and gone with the client. */
class CircuitGaugesTest {

  @Test
  void theGaugeOfTheCurrentStateReadsOneAndTheGaugesGoWithTheClient() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicReference<CircuitBreakerState> state = new AtomicReference<>(CircuitBreakerState.CLOSED);
    CircuitGauges gauges = CircuitGauges.registerIn(registry, "c1", state::get);
    assertEquals(1.0, value(registry, "closed"));
    assertEquals(0.0, value(registry, "open"));
    state.set(CircuitBreakerState.OPEN);
    assertEquals(0.0, value(registry, "closed"));
    assertEquals(1.0, value(registry, "open"));
    gauges.remove();
    assertNull(registry.find(CircuitGauges.NAME).gauge());
  }

  @Test
  void eachTransitionCountsUnderTheStateEnteredAndEveryStateIsThereFromTheStart() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CircuitGauges gauges = CircuitGauges.registerIn(registry, "c1", () -> CircuitBreakerState.CLOSED);
    assertEquals(0.0, entered(registry, "closed"));
    gauges.entered(CircuitBreakerState.OPEN);
    gauges.entered(CircuitBreakerState.HALF_OPEN);
    gauges.entered(CircuitBreakerState.OPEN);
    assertEquals(2.0, entered(registry, "open"));
    assertEquals(1.0, entered(registry, "half_open"));
    assertEquals(0.0, entered(registry, "closed"));
    gauges.remove();
    assertNull(registry.find(CircuitGauges.TRANSITIONS).counter());
  }

  private static double entered(SimpleMeterRegistry registry, String state) {
    return registry.get(CircuitGauges.TRANSITIONS).tag("client", "c1").tag("state", state).counter().count();
  }

  private static double value(SimpleMeterRegistry registry, String state) {
    return registry.get(CircuitGauges.NAME).tag("client", "c1").tag("state", state).gauge().value();
  }
}
