package org.voicerelay.stt.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One verticle instance's consumer of {@code <prefix>.open}, registered cluster-wide while the node
 * admits sessions and node-locally while it is saturated. A clustered event bus routes a send only
 * to nodes with a cluster-wide registration, so opens go to the nodes that can take them; when no
 * node has one, the sender's own node delivers to its local consumer, which answers 503
 * {@code overloaded}. Also probes the instance's event loop: the lateness of a 100 ms timer and the
 * audio its sessions buffer go to {@link AdmissionControl}.
 */
final class OpenGate {

  private static final Logger LOG = LoggerFactory.getLogger(OpenGate.class);
  static final long PROBE_INTERVAL_MS = 100;
  /**
   * How long a replaced consumer stays registered: unregistering a consumer discards the opens
   * already on their way to it, so it goes only once they have been handled.
   */
  static final long RETIRE_AFTER_MS = 2_000;

  private final Vertx vertx;
  private final Context context;
  private final String address;
  private final Handler<Message<Object>> onOpen;
  private final AdmissionControl admission;
  private final SessionRegistry registry;
  private MessageConsumer<Object> consumer;
  private final List<MessageConsumer<Object>> retiring = new ArrayList<>();
  private boolean clusterWide;
  private Runnable listener;
  private long probeTimer = -1;
  private boolean stopped;

  OpenGate(Vertx vertx, Context context, String address, Handler<Message<Object>> onOpen,
      AdmissionControl admission, SessionRegistry registry) {
    this.vertx = vertx;
    this.context = context;
    this.address = address;
    this.onOpen = onOpen;
    this.admission = admission;
    this.registry = registry;
  }

  /** Registers the consumer the node's state calls for and starts probing; call on the instance's context. */
  Future<Void> start() {
    listener = admission.onChange(context, this::follow);
    clusterWide = !admission.saturated();
    consumer = clusterWide ? vertx.eventBus().consumer(address, onOpen) : vertx.eventBus().localConsumer(address, onOpen);
    probe();
    return consumer.completion();
  }

  /** Unregisters the consumer and stops probing. */
  Future<Void> stop(String prefix) {
    stopped = true;
    vertx.cancelTimer(probeTimer);
    admission.leave(vertx, prefix, this, listener);
    List<Future<Void>> unregistering = new ArrayList<>();
    retiring.forEach(c -> unregistering.add(c.unregister()));
    if (consumer != null) {
      unregistering.add(consumer.unregister());
    }
    return Future.join(unregistering).mapEmpty();
  }

  /** Consumes on this node only from now on (undeploy): a cluster sends its opens elsewhere. */
  void nodeLocal() {
    stopped = true;
    vertx.cancelTimer(probeTimer);
    swap(false);
  }

  private void follow() {
    if (!stopped) {
      swap(!admission.saturated());
    }
  }

  private void swap(boolean admitting) {
    if (admitting == clusterWide) {
      return;
    }
    MessageConsumer<Object> previous = consumer;
    consumer = admitting ? vertx.eventBus().consumer(address, onOpen) : vertx.eventBus().localConsumer(address, onOpen);
    clusterWide = admitting;
    retiring.add(previous);
    vertx.setTimer(RETIRE_AFTER_MS, t -> {
      if (retiring.remove(previous)) {
        previous.unregister();
      }
    });
    LOG.debug("{} consumed {}", address, admitting ? "cluster-wide again" : "on this node only");
  }

  private void probe() {
    long due = System.nanoTime() + PROBE_INTERVAL_MS * 1_000_000;
    probeTimer = vertx.setTimer(PROBE_INTERVAL_MS, t -> {
      if (stopped) {
        return;
      }
      long lateMs = Math.max(0, (System.nanoTime() - due) / 1_000_000);
      admission.report(this, lateMs, registry.bufferedBytes());
      probe();
    });
  }
}
