package org.voicerelay.stt.bus.impl;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.internal.ClusterView;

/**
 * Tells the listeners of a session that its node is gone. A session lives on one node only; if
 * that node dies, nothing on it can publish the session's {@code closed} event, so every clustered
 * node that runs the verticle ({@link SttNode}) watches the membership and the survivors publish
 * it instead: {@code {"type":"closed","reason":"node_lost","error":{"code":"node_lost",...}}}.
 *
 * <p>It reads the {@link SessionDirectory}, where every session is entered with its owner node
 * when it opens. When a member leaves, every survivor takes the lost member's entries out of the
 * directory; the one whose removal succeeds publishes the {@code closed} event, so each session is
 * announced exactly once. The event's {@code seq} is one past the numbers the session had
 * reserved, so it comes after every event the session published.
 *
 * <p>The membership is read from the cluster manager's member list every {@link #LOOK_MS} ms: the
 * cluster manager's own node listener belongs to Vert.x (its HA manager sets it), and a list read
 * works with any cluster manager.
 */
final class NodeLossNotices {

  private static final Logger LOG = LoggerFactory.getLogger(NodeLossNotices.class);
  /** How often the member list is read: a lost node's sessions are announced this much after Hazelcast drops it, at most. */
  static final long LOOK_MS = 200;

  private final Vertx vertx;
  private final String prefix;
  private final String self;
  private Set<String> members;
  private long timer = -1;

  NodeLossNotices(Vertx vertx, String prefix, String self) {
    this.vertx = vertx;
    this.prefix = prefix;
    this.self = self;
  }

  /** Starts watching (on the caller's context). */
  void start() {
    members = new HashSet<>(ClusterView.members(vertx));
    timer = vertx.setPeriodic(LOOK_MS, id -> look());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void look() {
    List<String> now = ClusterView.members(vertx);
    if (now.isEmpty()) {
      return; // leaving the cluster ourselves: the list says nothing about the others
    }
    for (String gone : members) {
      if (!now.contains(gone) && !gone.equals(self)) {
        announceSessionsOf(gone);
      }
    }
    members = new HashSet<>(now);
  }

  private void announceSessionsOf(String lostNodeId) {
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
    JsonObject closed = ContractEvents.nodeLost(node)
        .put("sessionId", reply.getString("sessionId"))
        .put("seq", entry.getLong("seqReserved", 0L) + 1);
    LOG.info("session {}: its node {} left the cluster; announcing it closed on {}", reply.getString("sessionId"),
        node, reply.getString("eventsAddress"));
    vertx.eventBus().publish(reply.getString("eventsAddress"), closed);
  }
}
