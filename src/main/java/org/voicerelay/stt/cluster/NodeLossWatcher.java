package org.voicerelay.stt.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.SessionClaims;
import org.voicerelay.stt.bus.SttVerticleOptions;

/**
 * Tells the listeners of a session that its node is gone. A session lives on one node only; if
 * that node dies, nothing on it can publish the session's {@code closed} event, so every node runs
 * this watcher and the survivors publish it instead:
 * {@code {"type":"closed","reason":"node_lost","error":{"code":"node_lost",...}}}.
 *
 * <p>On its own node the watcher records each session the {@code SttVerticle} there opens (it
 * reads the open replies and the events the node sends, through an outbound interceptor, and asks
 * the session's control address, locally only, whether it really lives here) in a cluster-wide
 * map: owner node, events address, last {@code seq}. When Hazelcast removes a member, every
 * surviving watcher takes the dead member's entries out of the map; the one whose removal
 * succeeds publishes the {@code closed} event, so each session is announced exactly once. The
 * event's {@code seq} follows the last one recorded; events still in flight from the dead node may
 * be missing before it.
 *
 * <p>Deploy it on every node that runs the verticle (and on at least one other).
 */
public class NodeLossWatcher extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(NodeLossWatcher.class);

  /** The {@code reason} of the {@code closed} event and the {@code error.code} it carries. */
  public static final String REASON_NODE_LOST = BusContract.REASON_NODE_LOST;
  /** Hazelcast member attribute under which Vert.x keeps its node id. */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";
  private static final long LOCAL_PROBE_TIMEOUT_MS = 5_000;

  /** A session of this node, and the state of its entry in the cluster map. */
  private static final class Owned {
    final JsonObject entry;
    long lastSeq;
    boolean writing;
    boolean dirty;
    boolean closed;

    Owned(JsonObject entry) {
      this.entry = entry;
      this.lastSeq = entry.getLong("lastSeq", 0L);
    }
  }

  private final HazelcastClusterManager clusterManager;
  private final String prefix;
  private final Map<String, Owned> owned = new HashMap<>();
  private final Set<String> verifying = new HashSet<>();
  private final Set<String> closedWhileVerifying = new HashSet<>();

  private Context context;
  private AsyncMap<String, JsonObject> sessions;
  private Handler<DeliveryContext<Object>> interceptor;
  private UUID membershipListener;

  /** Watches sessions of the default prefix ({@code stt}). */
  public NodeLossWatcher(HazelcastClusterManager clusterManager) {
    this(clusterManager, SttVerticleOptions.DEFAULT_PREFIX);
  }

  public NodeLossWatcher(HazelcastClusterManager clusterManager, String prefix) {
    this.clusterManager = clusterManager;
    this.prefix = prefix;
  }

  @Override
  public Future<?> start() {
    context = vertx.getOrCreateContext();
    return vertx.sharedData().<String, JsonObject>getAsyncMap(HazelcastClusterConfig.SESSIONS_MAP_PREFIX + prefix)
        .onSuccess(map -> {
          sessions = map;
          interceptor = this::intercept;
          vertx.eventBus().addOutboundInterceptor(interceptor);
          membershipListener = clusterManager.getHazelcastInstance().getCluster()
              .addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent event) {
                }

                @Override
                public void memberRemoved(MembershipEvent event) {
                  String nodeId = event.getMember().getAttribute(VERTX_NODE_ID);
                  if (nodeId != null) {
                    context.runOnContext(v -> announceSessionsOf(nodeId));
                  }
                }
              });
        });
  }

  /** Sessions of this node are ending with it (undeploy closes them cleanly): forget them. */
  @Override
  public Future<?> stop() {
    if (interceptor != null) {
      vertx.eventBus().removeOutboundInterceptor(interceptor);
    }
    if (membershipListener != null) {
      try {
        clusterManager.getHazelcastInstance().getCluster().removeMembershipListener(membershipListener);
      } catch (RuntimeException e) {
        LOG.debug("cannot remove the membership listener (Hazelcast already down?)", e);
      }
    }
    List<Future<?>> removing = new ArrayList<>();
    if (clusterManager.getHazelcastInstance().getLifecycleService().isRunning()) {
      for (String id : owned.keySet()) {
        removing.add(sessions.remove(id));
      }
    }
    owned.clear();
    return Future.join(removing);
  }

  // ------------------------------------------------------------ what this node sends

  /**
   * Runs on the sender's thread: copy what matters, then hop onto the watcher's context. (The
   * body is the context's: on a clustered bus the message's own body is not decoded yet.)
   */
  private void intercept(DeliveryContext<Object> delivery) {
    try {
      if (delivery.body() instanceof JsonObject body) {
        if (delivery.send() && isOpenReply(body)) {
          JsonObject reply = body.copy();
          context.runOnContext(v -> verifyOwnership(reply));
        } else if (!delivery.send() && body.getValue("sessionId") instanceof String id
            && body.getValue("seq") instanceof Number seq) {
          boolean closed = BusContract.EVENT_CLOSED.equals(body.getString("type"));
          long n = seq.longValue();
          context.runOnContext(v -> onEvent(id, n, closed));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("session watcher: cannot read an outbound message", e);
    } finally {
      delivery.next();
    }
  }

  /**
   * An open reply names the session's own addresses; fields may be added to it (a resumable
   * session's reply has more), so only these are checked. An event (it has a {@code seq}) and a
   * status reply (it has a {@code state}) are none.
   */
  private boolean isOpenReply(JsonObject body) {
    return body.getValue("sessionId") instanceof String id
        && !body.containsKey("seq") && !body.containsKey("state")
        && body.getValue("eventsAddress") instanceof String
        && body.getValue("node") instanceof String
        && BusContract.audioAddress(prefix, id).equals(body.getValue("audioAddress"))
        && BusContract.controlAddress(prefix, id).equals(body.getValue("controlAddress"));
  }

  /**
   * An open reply may also come from a node that found the session elsewhere (an idempotent
   * open): only the node whose own consumer answers is the owner.
   */
  private void verifyOwnership(JsonObject reply) {
    String id = reply.getString("sessionId");
    if (owned.containsKey(id) || !verifying.add(id)) {
      return;
    }
    vertx.eventBus().<JsonObject>request(reply.getString("controlAddress"), new JsonObject().put("action", BusContract.ACTION_STATUS),
            new DeliveryOptions().setLocalOnly(true).setSendTimeout(LOCAL_PROBE_TIMEOUT_MS))
        .onComplete(ar -> {
          verifying.remove(id);
          boolean closedMeanwhile = closedWhileVerifying.remove(id);
          if (ar.failed() || closedMeanwhile || !BusContract.STATE_OPEN.equals(ar.result().body().getString("state"))) {
            return;
          }
          JsonObject entry = reply.copy().put("owner", clusterManager.getNodeId())
              .put("lastSeq", Math.max(0L, ar.result().body().getLong("lastSeq", 0L)));
          Owned session = new Owned(entry);
          owned.put(id, session);
          write(id, session);
        });
  }

  private void onEvent(String id, long seq, boolean closed) {
    Owned session = owned.get(id);
    if (session == null) {
      if (closed && verifying.contains(id)) {
        closedWhileVerifying.add(id);
      }
      return;
    }
    session.lastSeq = Math.max(session.lastSeq, seq);
    if (closed) {
      session.closed = true;
      owned.remove(id);
      if (!session.writing) {
        sessions.remove(id);
      }
    } else {
      write(id, session);
    }
  }

  /** One write in flight per session; the newest seq goes out when it completes. */
  private void write(String id, Owned session) {
    if (session.writing) {
      session.dirty = true;
      return;
    }
    session.writing = true;
    session.dirty = false;
    sessions.put(id, session.entry.copy().put("lastSeq", session.lastSeq)).onComplete(ar -> {
      session.writing = false;
      if (ar.failed()) {
        LOG.warn("session {}: cannot record its owner in the cluster: {}", id, ar.cause().getMessage());
      }
      if (session.closed) {
        sessions.remove(id);
      } else if (session.dirty) {
        write(id, session);
      }
    });
  }

  // ------------------------------------------------------------ another node left

  private void announceSessionsOf(String lostNodeId) {
    if (lostNodeId.equals(clusterManager.getNodeId()) || sessions == null) {
      return;
    }
    SessionClaims.releaseNode(vertx, prefix, lostNodeId).onFailure(err ->
        LOG.warn("cannot release the session ids claimed by lost node {}: {}", lostNodeId, err.getMessage()));
    sessions.entries().onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("cannot list the sessions of lost node {}: {}", lostNodeId, ar.cause().getMessage());
        return;
      }
      ar.result().forEach((id, entry) -> {
        if (lostNodeId.equals(entry.getString("owner"))) {
          sessions.remove(id).onSuccess(removed -> {
            if (removed != null) {
              announce(removed);
            }
          });
        }
      });
    });
  }

  private void announce(JsonObject entry) {
    // a resumable session's front runs on frontNode; "node" names where it was recognized
    String node = entry.getString("frontNode", entry.getString("node"));
    JsonObject closed = new JsonObject()
        .put("sessionId", entry.getString("sessionId"))
        .put("seq", entry.getLong("lastSeq", 0L) + 1)
        .put("type", BusContract.EVENT_CLOSED)
        .put("reason", REASON_NODE_LOST)
        .put("error", new JsonObject()
            .put("code", REASON_NODE_LOST)
            .put("message", "node " + node + " left the cluster; the session is lost, open a new one")
            .put("retryable", false));
    LOG.info("session {}: its node {} left the cluster; announcing it closed on {}", entry.getString("sessionId"),
        node, entry.getString("eventsAddress"));
    vertx.eventBus().publish(entry.getString("eventsAddress"), closed);
  }
}
