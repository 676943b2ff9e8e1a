package org.voicerelay.stt.bus;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;

/**
 * The bus layer's one look at Vert.x internals: which cluster node this is and who the members
 * are. Vert.x 5 gives a verticle no public handle on its cluster manager; claims of session ids
 * need both facts. {@code ClusterViewTest} fails loudly if an upgrade moves them.
 */
final class ClusterView {

  /** The node id in claims and addresses when Vert.x is not clustered. */
  static final String LOCAL = "local";

  private ClusterView() {
  }

  /** This node's cluster id, or {@link #LOCAL}. */
  static String nodeId(Vertx vertx) {
    ClusterManager cm = clusterManager(vertx);
    return cm == null ? LOCAL : cm.getNodeId();
  }

  /** Whether {@code node} is a member now; without a cluster every node is. */
  static boolean isMember(Vertx vertx, String node) {
    ClusterManager cm = clusterManager(vertx);
    return cm == null || cm.getNodes().contains(node);
  }

  private static ClusterManager clusterManager(Vertx vertx) {
    return ((VertxInternal) vertx).clusterManager();
  }
}
