package org.voicerelay.stt.client.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The breaker's meters, in Vert.x's default registry when there is one: its state as gauges, one
 * per state ({@value #NAME}, tags {@code client} and {@code state}, 1 for the current state, else
 * 0), and its transitions as counters by the state entered ({@value #TRANSITIONS}, same tags; all
 * three registered at 0 from the start, so a dashboard's query finds them before the first
 * transition). Without Micrometer on the class path, or without a registry, nothing is registered.
 */
final class CircuitGauges {

  static final String NAME = "stt.client.circuit.state";
  static final String TRANSITIONS = "stt.client.circuit.transitions";

  private final MeterRegistry registry;
  private final List<Meter> meters;
  private final Map<CircuitBreakerState, Counter> transitions;

  private CircuitGauges(MeterRegistry registry, List<Meter> meters, Map<CircuitBreakerState, Counter> transitions) {
    this.registry = registry;
    this.meters = meters;
    this.transitions = transitions;
  }

  static CircuitGauges register(String client, Supplier<CircuitBreakerState> state) {
    try {
      return registerIn(BackendRegistries.getDefaultNow(), client, state);
    } catch (LinkageError noMicrometer) {
      return new CircuitGauges(null, List.of(), Map.of());
    }
  }

  static CircuitGauges registerIn(MeterRegistry registry, String client, Supplier<CircuitBreakerState> state) {
    if (registry == null) {
      return new CircuitGauges(null, List.of(), Map.of());
    }
    List<Meter> meters = new ArrayList<>();
    Map<CircuitBreakerState, Counter> transitions = new EnumMap<>(CircuitBreakerState.class);
    for (CircuitBreakerState s : CircuitBreakerState.values()) {
      String stateName = s.name().toLowerCase(Locale.ROOT);
      meters.add(Gauge.builder(NAME, state, current -> current.get() == s ? 1 : 0)
          .description("1 when the client's circuit breaker is in this state")
          .tag("client", client)
          .tag("state", stateName)
          .strongReference(true)
          .register(registry));
      Counter entered = Counter.builder(TRANSITIONS)
          .description("Times the client's circuit breaker entered this state")
          .tag("client", client)
          .tag("state", stateName)
          .register(registry);
      meters.add(entered);
      transitions.put(s, entered);
    }
    return new CircuitGauges(registry, meters, transitions);
  }

  /** The breaker entered {@code state}. */
  void entered(CircuitBreakerState state) {
    Counter counter = transitions.get(state);
    if (counter != null) {
      counter.increment();
    }
  }

  void remove() {
    if (registry != null) {
      meters.forEach(registry::remove);
    }
  }
}
