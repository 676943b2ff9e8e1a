package org.voicerelay.stt.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.FreePort;
import org.voicerelay.stt.cluster.ClusterNode;
import org.voicerelay.stt.cluster.ClusterOptions;

/** The membership check against a real one-member Hazelcast cluster on loopback. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ClusterMembershipCheckTest {

  @Test
  void aJoinedNodeIsAMemberAndOneWhoseHazelcastStoppedIsNot(Vertx vertx, VertxTestContext ctx) {
    // a port free a moment ago, or the next free one if someone took it meanwhile
    int port = FreePort.pick();
    ClusterOptions options = new ClusterOptions().setClusterName("stt-health-" + port).setHost("127.0.0.1")
        .setPort(port).setPortAutoIncrement(true).setMembers(List.of("127.0.0.1:" + port));
    ClusterNode.start(options)
        .compose(node -> {
          HealthChecks checks = HealthChecks.create(vertx)
              .register("cluster-membership", HealthProcedures.clusterMembership(node.clusterManager()));
          return checks.checkStatus("cluster-membership")
              .map(joined -> {
                ctx.verify(() -> {
                  assertTrue(joined.getStatus().isOk(), joined.getStatus().getData().encode());
                  assertEquals(1, joined.getStatus().getData().getInteger("members"));
                  assertEquals(node.nodeId(), joined.getStatus().getData().getString("nodeId"));
                });
                node.hazelcast().getLifecycleService().terminate();
                return null;
              })
              .compose(v -> checks.checkStatus("cluster-membership"))
              .map(stopped -> {
                ctx.verify(() -> assertFalse(stopped.getStatus().isOk(), stopped.getStatus().getData().encode()));
                return null;
              })
              .eventually(() -> node.close().otherwiseEmpty());
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
