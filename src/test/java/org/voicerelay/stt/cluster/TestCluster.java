package org.voicerelay.stt.cluster;

import org.voicerelay.stt.bus.TcpBridgeOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.impl.EventBusInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.voicerelay.stt.FreePort;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;

/**
 * Clustered Vert.x nodes on loopback Hazelcast (conf/cluster.xml, free ports, fast failure
 * detection), the local gateway with the counting engine, and the verticle and watcher per node.
 *
 * <p>A port picked free can be taken before it is bound. A member then takes the next free one
 * (Hazelcast's auto-increment), which is why members start one after the other, each listing the
 * others by the ports they really got; the TCP bridge is deployed again on another port
 * ({@link FreePort#bind}).
 */
final class TestCluster {

  private TestCluster() {
  }

  /** Options for one more member of a running cluster, or for the first one of a new cluster. */
  static ClusterOptions joining(List<ClusterNode> running) {
    int port = FreePort.pick();
    List<String> members = new ArrayList<>();
    for (ClusterNode node : running) {
      members.add("127.0.0.1:" + node.hazelcast().getCluster().getLocalMember().getAddress().getPort());
    }
    members.add("127.0.0.1:" + port);
    String name = running.isEmpty() ? "stt-test-" + port : running.get(0).hazelcast().getConfig().getClusterName();
    return new ClusterOptions().setClusterName(name).setHost("127.0.0.1").setPort(port).setPortAutoIncrement(true)
        .setMembers(members).setMaxNoHeartbeatSeconds(4);
  }

  /** Starts {@code n} members one after the other (a TCP-IP join is quickest against a running master). */
  static Future<List<ClusterNode>> start(int n) {
    List<ClusterNode> nodes = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < n; i++) {
      chain = chain.compose(v -> ClusterNode.start(joining(nodes))).map(node -> {
        nodes.add(node);
        return null;
      });
    }
    return chain.map(v -> nodes);
  }

  static Future<LocalGatewayVerticle> deployGateway(ClusterNode node) {
    return deployGateway(node.vertx());
  }

  /** The local gateway with the counting engine and the test credentials. */
  static Future<LocalGatewayVerticle> deployGateway(io.vertx.core.Vertx vertx) {
    LocalGatewayVerticle gateway = Fixtures.countingGateway();
    return vertx.deployVerticle(gateway).map(id -> gateway);
  }

  /** The verticle (node name {@code name}) and the watcher. */
  static Future<Void> deployStt(ClusterNode node, String name, int gatewayPort) {
    return node.vertx().deployVerticle(new SttVerticle(sttOptions(name, gatewayPort))).mapEmpty();
  }

  /** As above, with the verticle's TCP bridge on a free port; completes with that port. */
  static Future<Integer> deploySttWithBridge(ClusterNode node, String name, int gatewayPort) {
    return FreePort.bind(port -> node.vertx().deployVerticle(new SttVerticle(sttOptions(name, gatewayPort)
        .setBridge(new TcpBridgeOptions().setEnabled(true).setPort(port)))).map(port));
  }

  /** Verticle options for node {@code name} against the test gateway: quick finals, short linger. */
  static SttVerticleOptions sttOptions(String name, int gatewayPort) {
    return new SttVerticleOptions()
        .setNode(name)
        .setClient(Fixtures.clientOptions(gatewayPort))
        .setShutdownTimeoutMs(2_000)
        .setClosedSessionLingerMs(2_000)
        // these tests are about clustering, not admission (its own tests): a busy machine must not refuse opens
        .setAdmission(Fixtures.relaxedAdmission());
  }

  /**
   * A node that dies: its Hazelcast member vanishes without a goodbye and its event bus stops
   * answering, before anything on it can end its sessions; then the rest is torn down. Runs on a
   * thread of its own, since the dying node's contexts cannot be trusted to call anyone back.
   */
  static Future<Void> crash(ClusterNode node) {
    Promise<Void> dead = Promise.promise();
    Thread killer = new Thread(() -> {
      try {
        node.hazelcast().getLifecycleService().terminate();
        CompletableFuture<Void> busClosed = new CompletableFuture<>();
        Promise<Void> closing = Promise.promise();
        closing.future().onComplete(ar -> busClosed.complete(null));
        ((EventBusInternal) node.vertx().eventBus()).close(closing);
        busClosed.get(10, TimeUnit.SECONDS);
        dead.complete();
        node.vertx().close();
      } catch (Exception e) {
        dead.tryFail(e);
      }
    }, "crash-" + node.nodeId());
    killer.setDaemon(true);
    killer.start();
    return dead.future();
  }

  static Future<Void> closeAll(List<ClusterNode> nodes) {
    List<Future<Void>> closing = new ArrayList<>();
    for (ClusterNode node : nodes) {
      closing.add(node.close().otherwiseEmpty());
    }
    return Future.join(closing).mapEmpty();
  }

  /** The audio bytes the final transcripts among the events cover. */
  static long finalBytes(List<JsonObject> events) {
    return events.stream().filter(e -> "final_transcript".equals(e.getString("type")))
        .mapToLong(e -> e.getJsonArray("alternatives").getJsonObject(0).getJsonObject("metadata").getLong("bytes"))
        .sum();
  }
}
