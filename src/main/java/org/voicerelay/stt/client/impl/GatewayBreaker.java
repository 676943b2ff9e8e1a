package org.voicerelay.stt.client.impl;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.voicerelay.stt.client.SttException;

/**
 * The circuit breaker of one client's gateway, shared by all the client's streams
 * (vertx-circuit-breaker). One {@link Attempt} is one connection, from connecting until it proves
 * itself (a final transcript, or {@code healthyAfterMs} up) or fails. When {@code maxFailures}
 * attempts fail within {@code failuresRollingWindow} with no success in between, the circuit
 * opens: a stream that wants to connect {@link #park parks} instead. After {@code resetTimeout} one
 * parked stream is woken to probe (half-open) while the others stay parked, so that every one of
 * them hears the verdict: the probe's failure is the failure of every parked stream's attempt
 * (each counts it against its budget), its success closes the circuit and releases them. A woken
 * stream that ends before probing {@link #declineProbe passes its turn on}.
 *
 * <p>Thread-safe: streams live on different contexts; the library's breaker synchronizes itself.
 */
final class GatewayBreaker {

  /** A stream waiting for the circuit to change. Called on any thread; it hops to its context. */
  interface Waiter {
    /**
     * @param state the state the circuit moved to
     * @param probeFailure when it re-opened after a failed probe: why the probe failed
     * @param woken how many streams this change woke, to spread their reconnects over
     */
    void circuitChanged(CircuitBreakerState state, SttException probeFailure, int woken);
  }

  /** One connection attempt: report its outcome exactly once. */
  final class Attempt {
    private final Promise<Void> outcome;
    private final boolean probe;

    private Attempt(Promise<Void> outcome, boolean probe) {
      this.outcome = outcome;
      this.probe = probe;
    }

    /** The connection proved itself, or ended without the gateway failing it. */
    void succeeded() {
      if (outcome.tryComplete() && probe) {
        probing = false;
      }
    }

    void failed(SttException failure) {
      lastFailure = failure;
      if (outcome.tryFail(failure) && probe) {
        probing = false;
      }
    }

    boolean isDone() {
      return outcome.future().isComplete();
    }
  }

  private final CircuitBreaker breaker;
  private final ConcurrentLinkedQueue<Waiter> parked = new ConcurrentLinkedQueue<>();
  private final CircuitGauges gauges;
  private volatile boolean probing;
  private volatile SttException lastFailure;
  private volatile Handler<CircuitBreakerState> stateHandler;
  private volatile Context stateHandlerContext;

  GatewayBreaker(Vertx vertx, String name, CircuitBreakerOptions options) {
    CircuitBreakerOptions own = new CircuitBreakerOptions(options)
        .setTimeout(-1) // an attempt ends when it proves itself or fails, however long that takes
        .setMaxRetries(0); // streams retry on their own budget and backoff
    this.breaker = CircuitBreaker.create(name, vertx, own)
        .openHandler(v -> changed(CircuitBreakerState.OPEN))
        .halfOpenHandler(v -> changed(CircuitBreakerState.HALF_OPEN))
        .closeHandler(v -> changed(CircuitBreakerState.CLOSED));
    this.gauges = CircuitGauges.register(name, this::state);
  }

  CircuitBreakerState state() {
    return breaker.state();
  }

  void stateHandler(Context context, Handler<CircuitBreakerState> handler) {
    this.stateHandlerContext = context;
    this.stateHandler = handler;
  }

  /**
   * Asks to connect. Completes at once: with the attempt to report on, or failed with the
   * library's {@code OpenCircuitException} while the circuit is open or another stream probes.
   */
  Future<Attempt> admit() {
    Promise<Attempt> admitted = Promise.promise();
    breaker.<Void>execute(outcome -> {
      boolean probe = breaker.state() == CircuitBreakerState.HALF_OPEN;
      if (probe) {
        probing = true;
      }
      admitted.complete(new Attempt(outcome, probe));
    }).onFailure(admitted::tryFail);
    return admitted.future();
  }

  /** Waits for the next change of the circuit; wakes at once if it changed meanwhile. */
  void park(Waiter waiter) {
    parked.add(waiter);
    CircuitBreakerState now = breaker.state();
    if (now == CircuitBreakerState.CLOSED || (now == CircuitBreakerState.HALF_OPEN && !probing)) {
      if (parked.remove(waiter)) {
        waiter.circuitChanged(now, null, 1);
      }
    }
  }

  void unpark(Waiter waiter) {
    parked.remove(waiter);
  }

  /** A stream woken to probe ends without probing: the next parked stream probes instead. */
  void declineProbe() {
    if (breaker.state() == CircuitBreakerState.HALF_OPEN && !probing) {
      Waiter next = parked.poll();
      if (next != null) {
        next.circuitChanged(CircuitBreakerState.HALF_OPEN, null, 1);
      }
    }
  }

  private void changed(CircuitBreakerState state) {
    SttException cause = state == CircuitBreakerState.OPEN ? lastFailure : null;
    List<Waiter> woken = new ArrayList<>();
    Waiter w;
    while ((state != CircuitBreakerState.HALF_OPEN || woken.isEmpty()) && (w = parked.poll()) != null) {
      woken.add(w);
    }
    for (Waiter each : woken) {
      each.circuitChanged(state, cause, woken.size());
    }
    Handler<CircuitBreakerState> handler = stateHandler;
    Context context = stateHandlerContext;
    if (handler != null && context != null) {
      context.runOnContext(v -> handler.handle(state));
    }
  }

  void close() {
    gauges.remove();
    breaker.close();
  }
}
