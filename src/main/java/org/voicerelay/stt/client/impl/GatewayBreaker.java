package org.voicerelay.stt.client.impl;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.voicerelay.stt.client.SttException;

/**
 * The circuit breaker of one client's gateway, shared by all the client's streams. The library's
 * breaker (vertx-circuit-breaker) counts failures in its rolling window and times the open state;
 * this class decides who connects, so that a fleet of streams hears again as soon as the gateway
 * does and an unhealthy gateway meets a handful of them, not all:
 *
 * <ul>
 *   <li><b>What counts.</b> Only the first failed attempt of a stream's run of failures counts
 *       toward opening ({@link Role#COUNTED}); its own retries do not ({@link Role#PLAIN}). One
 *       stream riding out a restart with its own back-off never parks the others, and the circuit
 *       opens when {@code maxFailures} streams fail, not when one stream retries five times.</li>
 *   <li><b>Proof.</b> An attempt proves the gateway serving when it answers the stream's audio
 *       ({@link Attempt#served()}: a transcript or speech event after {@code session.created}), not
 *       when it sends a final: a probe is judged in a few hundred milliseconds.</li>
 *   <li><b>Probe.</b> While open, streams {@link Waiter#parked() park}. Every {@code resetTimeout}
 *       one parked stream probes (half-open); its failure is every parked stream's failure (each
 *       counts it against its own budget and stays parked).</li>
 *   <li><b>Slow start.</b> A served probe closes the circuit and releases four parked streams;
 *       each released stream that is served releases four more (1, 4, 16, ...). One that fails first
 *       re-opens the circuit and the rest stay parked. While any stream is parked, a stream that
 *       asks to connect queues behind them.</li>
 *   <li><b>Catch-up after the others.</b> A stream that comes back with others sends only the
 *       first second of the audio it held ({@link CatchUpHold}) until the others are answered too
 *       ({@link Attempt#whenCatchUpMayGo}): the probe and the released streams until no stream is
 *       parked or proving the gateway any more, a stream that reconnected on its own until no other
 *       stream that came back so is unanswered. The gateway's first moments back answer every
 *       returning stream instead of the first ones' seconds of catch-up, which at 200 streams
 *       delayed the last of them by more than a second.</li>
 * </ul>
 *
 * <p>Confined to the context it was created on: streams call from their own contexts and every call
 * hops there; waiters are called there and hop back to their own.
 */
final class GatewayBreaker {

  /** How many parked streams one served stream releases. */
  static final int RELEASED_PER_PROOF = 4;

  /** A stream asking to connect. Called on the breaker's context; hops to its own. */
  interface Waiter {
    /** Connect now and report on {@code attempt}. */
    void admitted(Attempt attempt);

    /** Wait: the circuit is open, or streams released before this one are still proving it. */
    void parked();

    /** Still parked: the probe that stood in for this stream failed with {@code cause}. */
    void probeFailed(SttException cause);
  }

  /** What an attempt's outcome means to the breaker. */
  enum Role {
    /** A retry in a stream's run of failures: its outcome changes nothing. */
    PLAIN,
    /** The first attempt of a run: its failure counts toward opening. */
    COUNTED,
    /** The one attempt of the half-open circuit. */
    PROBE,
    /** Released from parking by slow start: its proof releases more, its failure re-opens. */
    RAMP
  }

  /** One connection attempt: report its outcome once, from any thread. */
  final class Attempt {
    private final Role role;
    /** The library's operation, for the roles it counts; null otherwise. */
    private final Promise<Void> operation;
    private boolean reported;
    /** Came back on its own with audio held, and counted in {@code unansweredReturns} until its verdict. */
    private boolean returning;

    private Attempt(Role role, Promise<Void> operation) {
      this.role = role;
      this.operation = operation;
    }

    /**
     * Whether the stream comes back with others: let in as the probe or by the ramp, it sends the
     * start of its held audio and the rest {@link #whenCatchUpMayGo when the ramp is over}.
     */
    boolean rampsUp() {
      return role == Role.PROBE || role == Role.RAMP;
    }

    /**
     * Runs {@code resume} on the breaker's context once the stream's catch-up may go: for a stream
     * let in by the probe or the ramp, when the ramp is over; for one that reconnected on its own,
     * at once if no other stream is back and unanswered, else when every such stream is answered.
     */
    void whenCatchUpMayGo(Runnable resume) {
      onBreaker(() -> {
        if (!rampsUp()) {
          boolean alone = unansweredReturns == 0 && ramping == 0 && probe == null;
          if (!reported) {
            returning = true;
            unansweredReturns++;
          }
          if (alone) {
            resume.run();
            return;
          }
        }
        holding.add(resume);
      });
    }

    /** Whether a failure of this attempt is counted by the breaker. */
    boolean counts() {
      return role != Role.PLAIN;
    }

    /** The gateway answered this attempt's audio. */
    void served() {
      onBreaker(() -> onServed(this));
    }

    /** The attempt failed before it was served. */
    void failed(SttException failure) {
      onBreaker(() -> onFailed(this, failure));
    }

    /** The stream ended before a verdict: the attempt says nothing of the gateway. */
    void abandoned() {
      onBreaker(() -> onAbandoned(this));
    }
  }

  private final Context context;
  private final CircuitBreaker breaker;
  private final CircuitGauges gauges;
  private final ArrayDeque<Waiter> parked = new ArrayDeque<>();
  /** The half-open circuit's attempt under way, or null. */
  private Attempt probe;
  /** Released streams whose verdict is still to come. */
  private int ramping;
  /** Streams that came back with audio held, on their own, whose verdict is still to come. */
  private int unansweredReturns;
  /** Streams that came back with others and hold their catch-up until they are all answered. */
  private final List<Runnable> holding = new ArrayList<>();
  private volatile Handler<CircuitBreakerState> stateHandler;
  private volatile Context stateHandlerContext;

  GatewayBreaker(Vertx vertx, Context context, String name, CircuitBreakerOptions options) {
    this.context = context;
    CircuitBreakerOptions own = new CircuitBreakerOptions(options)
        .setTimeout(-1) // an attempt ends when it is served or fails, however long that takes
        .setMaxRetries(0); // streams retry on their own budget and back-off
    this.breaker = CircuitBreaker.create(name, vertx, own)
        .openHandler(v -> onBreaker(() -> changed(CircuitBreakerState.OPEN)))
        .halfOpenHandler(v -> onBreaker(() -> changed(CircuitBreakerState.HALF_OPEN)))
        .closeHandler(v -> onBreaker(() -> changed(CircuitBreakerState.CLOSED)));
    this.gauges = CircuitGauges.register(name, this::state);
  }

  CircuitBreakerState state() {
    return breaker.state();
  }

  void stateHandler(Context handlerContext, Handler<CircuitBreakerState> handler) {
    this.stateHandlerContext = handlerContext;
    this.stateHandler = handler;
  }

  /**
   * Asks to connect: {@code waiter} is told {@link Waiter#admitted} now or later, and
   * {@link Waiter#parked} first when it has to wait.
   *
   * @param countable whether a failure would be the first of the stream's run of failures
   */
  void request(Waiter waiter, boolean countable) {
    onBreaker(() -> {
      switch (breaker.state()) {
        case OPEN -> park(waiter);
        case HALF_OPEN -> {
          if (probe != null || !admitThroughLibrary(waiter, Role.PROBE)) {
            park(waiter);
          }
        }
        case CLOSED -> {
          if (!parked.isEmpty()) {
            park(waiter);
          } else if (!countable) {
            waiter.admitted(new Attempt(Role.PLAIN, null));
          } else if (!admitThroughLibrary(waiter, Role.COUNTED)) {
            park(waiter);
          }
        }
      }
    });
  }

  /** The stream no longer wants to connect (it ended while parked or asking). */
  void withdraw(Waiter waiter) {
    onBreaker(() -> {
      parked.remove(waiter);
    });
  }

  /**
   * Runs {@code task} on the breaker's context, then lets the held catch-ups go if they may: every
   * change of the breaker's state passes here, so the rule of {@link #resumeHeldCatchUps} is
   * applied in one place.
   */
  private void onBreaker(Runnable task) {
    context.runOnContext(v -> {
      task.run();
      resumeHeldCatchUps();
    });
  }

  /**
   * The held catch-ups go when no stream is parked, proving the gateway or back and unanswered, or
   * when the circuit opened again (the parked wait for the next probe).
   */
  private void resumeHeldCatchUps() {
    boolean over = breaker.state() == CircuitBreakerState.OPEN
        || parked.isEmpty() && ramping == 0 && probe == null && unansweredReturns == 0;
    if (over && !holding.isEmpty()) {
      List<Runnable> resumed = new ArrayList<>(holding);
      holding.clear();
      resumed.forEach(Runnable::run);
    }
  }

  private boolean admitThroughLibrary(Waiter waiter, Role role) {
    List<Attempt> made = new ArrayList<>(1);
    breaker.<Void>execute(operation -> made.add(new Attempt(role, operation)));
    if (made.isEmpty()) {
      return false; // the library refused: opened meanwhile, or its probe is taken
    }
    Attempt attempt = made.get(0);
    if (role == Role.PROBE) {
      probe = attempt;
    }
    waiter.admitted(attempt);
    return true;
  }

  private void park(Waiter waiter) {
    parked.add(waiter);
    waiter.parked();
    if (breaker.state() == CircuitBreakerState.CLOSED && probe == null && ramping == 0) {
      release(RELEASED_PER_PROOF); // closed with nobody proving it: nothing else would release them
    } else if (breaker.state() == CircuitBreakerState.HALF_OPEN && probe == null) {
      probeWithNextParked();
    }
  }

  private void release(int count) {
    for (int i = 0; i < count && breaker.state() == CircuitBreakerState.CLOSED; i++) {
      Waiter next = parked.poll();
      if (next == null) {
        return;
      }
      ramping++;
      next.admitted(new Attempt(Role.RAMP, null));
    }
  }

  private void probeWithNextParked() {
    Waiter next = parked.poll();
    if (next != null && !admitThroughLibrary(next, Role.PROBE)) {
      parked.addFirst(next);
    }
  }

  private void onServed(Attempt attempt) {
    if (attempt.reported) {
      return;
    }
    attempt.reported = true;
    if (attempt.returning) {
      unansweredReturns--;
    }
    switch (attempt.role) {
      case PLAIN -> { }
      case COUNTED -> attempt.operation.tryComplete();
      case PROBE -> {
        probe = null;
        attempt.operation.tryComplete(); // the library closes the circuit at once
        release(RELEASED_PER_PROOF);
      }
      case RAMP -> {
        ramping--;
        release(RELEASED_PER_PROOF);
      }
    }
  }

  private void onFailed(Attempt attempt, SttException failure) {
    if (attempt.reported) {
      return;
    }
    attempt.reported = true;
    if (attempt.returning) {
      unansweredReturns--;
    }
    switch (attempt.role) {
      case PLAIN -> { }
      case COUNTED -> attempt.operation.tryFail(failure);
      case PROBE -> {
        probe = null;
        attempt.operation.tryFail(failure); // the library re-opens and times the next probe
        for (Waiter waiter : new ArrayList<>(parked)) {
          waiter.probeFailed(failure);
        }
      }
      case RAMP -> {
        ramping--;
        if (breaker.state() == CircuitBreakerState.CLOSED) {
          breaker.open(); // the rest stay parked until a new probe is served
        }
      }
    }
  }

  private void onAbandoned(Attempt attempt) {
    if (attempt.reported) {
      return;
    }
    attempt.reported = true;
    if (attempt.returning) {
      unansweredReturns--;
    }
    switch (attempt.role) {
      case PLAIN, COUNTED -> { }
      case PROBE -> {
        probe = null;
        Waiter next = parked.poll();
        if (next == null) {
          attempt.operation.tryComplete(); // nobody waits for a verdict: closed, the next attempt will tell
        } else {
          probe = new Attempt(Role.PROBE, attempt.operation); // the turn passes on, the library's probe with it
          next.admitted(probe);
        }
      }
      case RAMP -> {
        ramping--;
        release(1);
      }
    }
  }

  private void changed(CircuitBreakerState state) {
    gauges.entered(state);
    if (state == CircuitBreakerState.HALF_OPEN && probe == null) {
      probeWithNextParked();
    } else if (state == CircuitBreakerState.CLOSED && ramping == 0) {
      release(RELEASED_PER_PROOF);
    }
    Handler<CircuitBreakerState> handler = stateHandler;
    Context handlerContext = stateHandlerContext;
    if (handler != null && handlerContext != null) {
      handlerContext.runOnContext(v -> handler.handle(state));
    }
  }

  void close() {
    gauges.remove();
    breaker.close();
  }
}
