package org.voicerelay.stt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.internal.ClusterView;

/**
 * The Vert.x internals {@link ClusterView} relies on. If an upgrade of Vert.x moves them, this
 * fails first and says where; the clustered path is run by the cluster tests (OneSessionPerIdTest).
 */
@ExtendWith(VertxExtension.class)
class ClusterViewTest {

  @Test
  void aVertxThatIsNotClusteredIsTheLocalNodeAndCountsEveryNodeAsAMember(Vertx vertx) {
    assertEquals(ClusterView.LOCAL, ClusterView.nodeId(vertx));
    assertTrue(ClusterView.isMember(vertx, "any-node"));
  }

  @Test
  void theInternalHandleOnTheClusterManagerIsStillThere(Vertx vertx) {
    // a Vert.x without a cluster has no manager; the cast and the method must still exist
    assertNull(ClusterView.internalClusterManager(vertx));
  }
}
