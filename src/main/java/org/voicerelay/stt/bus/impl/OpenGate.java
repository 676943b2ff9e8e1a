package org.voicerelay.stt.bus.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.BusErrorCode;

/**
 * How one verticle instance takes {@code <prefix>.open}, following the node's admission state, and
 * the probe that measures the instance's event loop for {@link AdmissionControl}.
 *
 * <p>While the node admits, the instance consumes {@code <prefix>.open} and
 * {@link BusContract#admittingOpenAddress(String)} cluster-wide. While it is saturated (or being
 * undeployed) it consumes neither cluster-wide, so other nodes send their opens elsewhere; it keeps
 * a node-local consumer of {@code <prefix>.open} for the callers attached to this node (a clustered
 * bus offers a node's local consumers to that node's own senders): it passes their opens on to a
 * node that admits, and only when there is none handles them itself, which answers 503
 * {@code overloaded} (or the open reply of a session that already runs here).
 *
 * <p>Without a cluster the consumers never change: there is no other node, and the admission check
 * of the open answers 503.
 *
 * <p>While the node admits but has used up its admission rate for the moment, its cluster-wide
 * consumer of {@code <prefix>.open} passes opens on in the same way; one that comes back to this
 * node is bounced and sent again (the bus picks the next node), up to {@link #PASS_ON_ATTEMPTS}
 * times, before this node answers 503 itself.
 *
 * <p>A replaced consumer stays registered (and answers) until the event loop has been calm for
 * {@link #RETIRE_AFTER_MS}: unregistering a consumer discards the messages already on their way to
 * it, and under lag they may be on their way for a long time.
 */
public final class OpenGate {

  private static final Logger LOG = LoggerFactory.getLogger(OpenGate.class);
  static final long PROBE_INTERVAL_MS = 100;
  static final long RETIRE_AFTER_MS = 1_000;
  /** How long a passed-on open may take; the caller's own timeout is usually shorter. */
  private static final long PASS_ON_TIMEOUT_MS = 60_000;
  static final int PASS_ON_ATTEMPTS = 8;
  /** The node that passed an open on, so that it can tell the open came back to it. */
  private static final String PASSED_FROM = "x-stt-passed-from";
  /** Failure code of an open bounced back to the node that passed it on; never seen by a caller. */
  private static final int BOUNCED = -503;

  private final Vertx vertx;
  private final Context context;
  private final String prefix;
  private final String openAddress;
  private final String admittingAddress;
  private final Handler<Message<Object>> onOpen;
  private final AdmissionControl admission;
  private final String nodeId;
  private final SessionRegistry registry;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private final List<MessageConsumer<Object>> retiring = new ArrayList<>();
  private boolean admitting;
  private Runnable listener;
  private long probeTimer = -1;
  private long probeDueNanos;
  private boolean stopped;

  public OpenGate(Vertx vertx, Context context, String prefix, Handler<Message<Object>> onOpen,
      SttNode node, SessionRegistry registry) {
    this.vertx = vertx;
    this.context = context;
    this.prefix = prefix;
    this.openAddress = BusContract.openAddress(prefix);
    this.admittingAddress = BusContract.admittingOpenAddress(prefix);
    this.onOpen = onOpen;
    this.admission = node.admission();
    this.nodeId = node.id();
    this.registry = registry;
  }

  /** Registers the consumers the node's state calls for and starts probing; call on the instance's context. */
  public Future<Void> start() {
    listener = admission.onChange(context, this::follow);
    admitting = !admission.saturated();
    register();
    probe();
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  /** Unregisters every consumer and stops probing. */
  public Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(probeTimer);
    admission.forget(this, listener);
    List<Future<Void>> unregistering = new ArrayList<>();
    retiring.forEach(c -> unregistering.add(c.unregister()));
    consumers.forEach(c -> unregistering.add(c.unregister()));
    return Future.join(unregistering).mapEmpty();
  }

  /** Takes opens as a saturated node does from now on (undeploy): other nodes get the cluster's opens. */
  public void nodeLocal() {
    stopped = true;
    vertx.cancelTimer(probeTimer);
    swap(false);
  }

  /** How late the pending probe timer is now: how long this event loop has been too busy to run it. */
  private long overdueMs() {
    return Math.max(0, (System.nanoTime() - probeDueNanos) / 1_000_000);
  }

  private void follow() {
    if (!stopped) {
      swap(!admission.saturated());
    }
  }

  private void swap(boolean admit) {
    if (admit == admitting) {
      return;
    }
    if (!vertx.isClustered()) {
      // nowhere else to send opens: the consumers stay, the admission check answers 503
      admitting = admit;
      return;
    }
    for (MessageConsumer<Object> previous : consumers) {
      retiring.add(previous);
      retireLater(previous);
    }
    consumers.clear();
    admitting = admit;
    register();
    LOG.debug("{}: {}", openAddress, admit ? "admitting, consumed cluster-wide" : "saturated, consumed on this node only");
  }

  private void retireLater(MessageConsumer<Object> previous) {
    vertx.setTimer(RETIRE_AFTER_MS, t -> {
      if (!retiring.contains(previous)) {
        return;
      }
      if (admission.lagMs() > PROBE_INTERVAL_MS || overdueMs() > PROBE_INTERVAL_MS) {
        retireLater(previous);
      } else {
        retiring.remove(previous);
        previous.unregister();
      }
    });
  }

  private void register() {
    if (admitting) {
      consumers.add(vertx.eventBus().consumer(openAddress, this::route));
      consumers.add(vertx.eventBus().consumer(admittingAddress, this::admit));
    } else {
      consumers.add(vertx.eventBus().localConsumer(openAddress, this::route));
    }
  }

  /**
   * An open: handled here while the node admits (or has no cluster), else passed on; also passed on
   * when the node has admitted as many sessions as its rate allows for now.
   */
  private void route(Message<Object> open) {
    if (!vertx.isClustered() || admitting && admission.rateAllowsAdmission()) {
      onOpen.handle(open);
    } else {
      passOn(open, PASS_ON_ATTEMPTS);
    }
  }

  /** An open passed on by a node that does not admit it itself. */
  private void admit(Message<Object> open) {
    if (nodeId.equals(open.headers().get(PASSED_FROM)) && !admission.rateAllowsAdmission()) {
      open.fail(BOUNCED, "passed back to the node that passed it on");
    } else {
      onOpen.handle(open);
    }
  }

  /** An open this node does not admit now: to a node that does, if there is one. */
  private void passOn(Message<Object> open, int attempts) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(open.headers()).set(PASSED_FROM, nodeId);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(PASS_ON_TIMEOUT_MS).setHeaders(headers);
    vertx.eventBus().request(admittingAddress, open.body(), options).onComplete(ar -> {
      if (ar.succeeded()) {
        open.reply(ar.result().body());
      } else if (ar.cause() instanceof ReplyException e && e.failureCode() == BOUNCED && attempts > 1) {
        passOn(open, attempts - 1);
      } else if (ar.cause() instanceof ReplyException e && e.failureCode() > 0) {
        open.fail(e.failureCode(), e.getMessage());
      } else if (ar.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.TIMEOUT) {
        open.fail(BusErrorCode.OVERLOADED, "overloaded: this node takes no session and no other node answered in time");
      } else {
        // no node admits (NO_HANDLERS), or the one chosen stopped admitting meanwhile
        onOpen.handle(open);
      }
    });
  }

  private void probe() {
    long due = System.nanoTime() + PROBE_INTERVAL_MS * 1_000_000;
    probeDueNanos = due;
    probeTimer = vertx.setTimer(PROBE_INTERVAL_MS, t -> {
      if (stopped) {
        return;
      }
      long lateMs = Math.max(0, (System.nanoTime() - due) / 1_000_000);
      SessionRegistry.Figures held = registry.figures();
      admission.report(this, lateMs, held.bufferedBytes(), held.replayBytes(), held.longestDeafMs());
      probe();
    });
  }
}
