package org.voicerelay.stt.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.SessionDirectory;
import org.voicerelay.stt.bus.SttVerticleOptions;

/**
 * Tells the listeners of a session that its node is gone. A session lives on one node only; if
 * that node dies, nothing on it can publish the session's {@code closed} event, so every node runs
 * this watcher and the survivors publish it instead:
 * {@code {"type":"closed","reason":"node_lost","error":{"code":"node_lost",...}}}.
 *
 * <p>It reads the {@link SessionDirectory}, where every session is entered with its owner node
 * when it opens. When Hazelcast removes a member, every surviving watcher takes the dead member's
 * entries out of the directory; the one whose removal succeeds publishes the {@code closed} event,
 * so each session is announced exactly once. The event's {@code seq} is one past the numbers the
 * session had reserved in the directory, so it comes after every event the session published
 * (numbers between them are never used).
 *
 * <p>Deploy it on every node that runs the verticle (and on at least one other).
 */
public class NodeLossWatcher extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(NodeLossWatcher.class);

  /** The {@code reason} of the {@code closed} event and the {@code error.code} it carries. */
  public static final String REASON_NODE_LOST = BusContract.REASON_NODE_LOST;
  /** Hazelcast member attribute under which Vert.x keeps its node id. */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private final HazelcastClusterManager clusterManager;
  private final String prefix;
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
    Context context = vertx.getOrCreateContext();
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
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (membershipListener != null) {
      try {
        clusterManager.getHazelcastInstance().getCluster().removeMembershipListener(membershipListener);
      } catch (RuntimeException e) {
        LOG.debug("cannot remove the membership listener (Hazelcast already down?)", e);
      }
    }
    return Future.succeededFuture();
  }

  private void announceSessionsOf(String lostNodeId) {
    if (lostNodeId.equals(clusterManager.getNodeId())) {
      return;
    }
    SessionDirectory.takeEntriesOf(vertx, prefix, lostNodeId).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("cannot take the sessions of lost node {}: {}", lostNodeId, ar.cause().getMessage());
      } else {
        ar.result().forEach(this::announce);
      }
    });
  }

  private void announce(JsonObject entry) {
    JsonObject reply = entry.getJsonObject("reply");
    // a resumable session's front runs on frontNode; "node" names where it was recognized
    String node = reply.getString("frontNode", reply.getString("node"));
    JsonObject closed = new JsonObject()
        .put("sessionId", reply.getString("sessionId"))
        .put("seq", entry.getLong("seqReserved", 0L) + 1)
        .put("type", BusContract.EVENT_CLOSED)
        .put("reason", REASON_NODE_LOST)
        .put("error", new JsonObject()
            .put("code", REASON_NODE_LOST)
            .put("message", "node " + node + " left the cluster; the session is lost, open a new one")
            .put("retryable", false));
    LOG.info("session {}: its node {} left the cluster; announcing it closed on {}", reply.getString("sessionId"),
        node, reply.getString("eventsAddress"));
    vertx.eventBus().publish(reply.getString("eventsAddress"), closed);
  }
}
