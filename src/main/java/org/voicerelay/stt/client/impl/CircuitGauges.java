package org.voicerelay.stt.client.impl;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The breaker's state as Micrometer gauges, one per state ({@code stt.client.circuit.state},
 * tags {@code client} and {@code state}, 1 for the current state, else 0), in Vert.x's default
 * registry when there is one. Without Micrometer on the class path, or without a registry,
 * nothing is registered.
 */
final class CircuitGauges {

  static final String NAME = "stt.client.circuit.state";

  private final MeterRegistry registry;
  private final List<Meter> meters;

  private CircuitGauges(MeterRegistry registry, List<Meter> meters) {
    this.registry = registry;
    this.meters = meters;
  }

  static CircuitGauges register(String client, Supplier<CircuitBreakerState> state) {
    try {
      return registerIn(BackendRegistries.getDefaultNow(), client, state);
    } catch (LinkageError noMicrometer) {
      return new CircuitGauges(null, List.of());
    }
  }

  static CircuitGauges registerIn(MeterRegistry registry, String client, Supplier<CircuitBreakerState> state) {
    if (registry == null) {
      return new CircuitGauges(null, List.of());
    }
    List<Meter> meters = new ArrayList<>();
    for (CircuitBreakerState s : CircuitBreakerState.values()) {
      meters.add(Gauge.builder(NAME, state, current -> current.get() == s ? 1 : 0)
          .description("1 when the client's circuit breaker is in this state")
          .tag("client", client)
          .tag("state", s.name().toLowerCase(Locale.ROOT))
          .strongReference(true)
          .register(registry));
    }
    return new CircuitGauges(registry, meters);
  }

  void remove() {
    if (registry != null) {
      meters.forEach(registry::remove);
    }
  }
}
