package org.voicerelay.stt.internal;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.List;
import org.voicerelay.stt.internal.VertxInternals;

/**
 * Which cluster node this is and who the members are. Vert.x 5 gives a verticle no public handle on its cluster manager,
 * and claims of session ids need both facts. The public path comes first: a node started by
 * {@code cluster.ClusterNode} {@linkplain #register registers} its manager, and a Vert.x that is
 * not clustered needs none; only a clustered Vert.x built elsewhere is asked through
 * {@code VertxInternals}. {@code ClusterViewTest} fails loudly if an upgrade moves that.
 */
public final class ClusterView {

  /** The node id in claims and addresses when Vert.x is not clustered. */
  public static final String LOCAL = "local";
  private static final String SHARED_MAP = ClusterView.class.getName();
  private static final String KEY = "clusterManager";

  /** The registered manager, in a local shared map. */
  private record Registered(ClusterManager manager) implements Shareable {
  }

  private ClusterView() {
  }

  /** Tells the bus layer the cluster manager of {@code vertx} (the public path). */
  public static void register(Vertx vertx, ClusterManager manager) {
    vertx.sharedData().<String, Registered>getLocalMap(SHARED_MAP).put(KEY, new Registered(manager));
  }

  /** This node's cluster id, or {@link #LOCAL}. */
  public static String nodeId(Vertx vertx) {
    ClusterManager cm = clusterManager(vertx);
    return cm == null ? LOCAL : cm.getNodeId();
  }

  /** Whether {@code node} is a member now; without a cluster every node is. */
  public static boolean isMember(Vertx vertx, String node) {
    ClusterManager cm = clusterManager(vertx);
    return cm == null || cm.getNodes().contains(node);
  }

  /** The ids of the members now; without a cluster, none. */
  public static List<String> members(Vertx vertx) {
    ClusterManager cm = clusterManager(vertx);
    return cm == null ? List.of() : cm.getNodes();
  }

  private static ClusterManager clusterManager(Vertx vertx) {
    if (!vertx.isClustered()) {
      return null;
    }
    LocalMap<String, Registered> registered = vertx.sharedData().getLocalMap(SHARED_MAP);
    Registered found = registered.get(KEY);
    return found != null ? found.manager() : internalClusterManager(vertx);
  }

  /** The internal path, for a clustered Vert.x whose manager nobody registered. */
  public static ClusterManager internalClusterManager(Vertx vertx) {
    return VertxInternals.clusterManager(vertx);
  }
}
