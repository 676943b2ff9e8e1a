package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.FreePort;
import org.voicerelay.stt.bus.impl.AdmissionControl;
import org.voicerelay.stt.cluster.ClusterNode;
import org.voicerelay.stt.cluster.ClusterOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;

/**
 * Two clustered nodes: once node A is saturated (its audio budget holds one session), or has used
 * up its admission rate, the opens sent from A's own bus are served by node B instead of being
 * refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SaturatedNodeInAClusterTest {

  private final List<ClusterNode> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() throws Exception {
    List<Future<Void>> closing = new ArrayList<>();
    for (ClusterNode node : nodes) {
      closing.add(node.vertx().close());
    }
    Future.join(closing).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void opensFromASaturatedNodeAreServedByAnotherNode(VertxTestContext ctx) throws Exception {
    long oneSession = AdmissionControl.sessionBytes(new SttVerticleOptions());
    deployTwoNodes(o -> o.getAdmission().setNodeAudioBudgetBytes(oneSession))
        .compose(onA -> openUntilANodeIsFull(nodes.get(0).vertx(), onA).map(onA))
        .onFailure(ctx::failNow)
        .onSuccess(onA -> opensFromA(nodes.get(0).vertx(), onA, ctx));
  }

  @Test
  void opensBeyondANodesAdmissionRateAreServedByAnotherNode(VertxTestContext ctx) throws Exception {
    deployTwoNodes(o -> o.getAdmission().setMaxAdmissionsPerSecond(1))
        .compose(onA -> openUntilANodeAdmits(nodes.get(0).vertx()).map(onA))
        .compose(onA -> {
          List<Future<JsonObject>> opens = new ArrayList<>();
          for (int i = 0; i < 6; i++) {
            opens.add(nodes.get(0).vertx().eventBus().<JsonObject>request(BusContract.openAddress("stt"),
                new JsonObject()).map(Message::body));
          }
          return Future.all(opens).map(all -> all.<JsonObject>list());
        })
        .onComplete(ctx.succeeding(replies -> ctx.verify(() -> {
          // without passing on, the bus would give about half of them to A, which would refuse them
          long servedByB = replies.stream().filter(r -> "B".equals(r.getString("node"))).count();
          assertTrue(servedByB >= 5, replies.toString());
          ctx.completeNow();
        })));
  }

  /** Node A (its verticle, options tweaked, is the result) and node B with the gateway. */
  private Future<SttVerticle> deployTwoNodes(java.util.function.Consumer<SttVerticleOptions> tweakA)
      throws Exception {
    System.setProperty("hazelcast.wait.seconds.before.join", "0");
    // each member on a port free a moment ago, or the next free one (Hazelcast's auto-increment);
    // B lists A at the port A really got
    int portA = FreePort.pick();
    String cluster = "stt-admission-" + portA;
    ClusterNode a = ClusterNode.start(member(cluster, portA, List.of("127.0.0.1:" + portA)))
        .toCompletionStage().toCompletableFuture().get(40, TimeUnit.SECONDS);
    nodes.add(a);
    int portB = FreePort.pick();
    String addressOfA = "127.0.0.1:" + a.hazelcast().getCluster().getLocalMember().getAddress().getPort();
    ClusterNode b = ClusterNode.start(member(cluster, portB, List.of(addressOfA, "127.0.0.1:" + portB)))
        .toCompletionStage().toCompletableFuture().get(40, TimeUnit.SECONDS);
    nodes.add(b);
    LocalGatewayVerticle gateway = Fixtures.countingGateway();
    Vertx va = a.vertx();
    Promise<SttVerticle> deployedOnA = Promise.promise();
    b.vertx().deployVerticle(gateway)
        .compose(id -> b.vertx().deployVerticle(new SttVerticle(options("B", gateway.actualPort()))))
        .compose(id -> {
          SttVerticleOptions optionsA = options("A", gateway.actualPort());
          tweakA.accept(optionsA);
          SttVerticle verticle = new SttVerticle(optionsA);
          return va.deployVerticle(verticle).map(verticle);
        })
        .onComplete(deployedOnA);
    return deployedOnA.future();
  }

  /** Opens from A until A itself has admitted one, which empties its bucket of one admission. */
  private static Future<Void> openUntilANodeAdmits(Vertx va) {
    return va.eventBus().<JsonObject>request(BusContract.openAddress("stt"), new JsonObject())
        .compose(reply -> "A".equals(reply.body().getString("node")) ? Future.succeededFuture()
            : openUntilANodeAdmits(va));
  }

  private void opensFromA(Vertx va, SttVerticle onA, VertxTestContext ctx) {
    Future.<Void>succeededFuture()
        .compose(v -> delay(va, 1_500))
        .compose(v -> {
          List<Future<JsonObject>> opens = new ArrayList<>();
          for (int i = 0; i < 6; i++) {
            opens.add(va.eventBus().<JsonObject>request(BusContract.openAddress("stt"), new JsonObject())
                .map(Message::body));
          }
          return Future.all(opens).map(all -> all.<JsonObject>list());
        })
        .onComplete(ctx.succeeding(replies -> ctx.verify(() -> {
          for (JsonObject reply : replies) {
            assertEquals("B", reply.getString("node"), reply.encode());
          }
          assertTrue(onA.nodeLoad().saturated());
          assertEquals(1, onA.nodeLoad().status().getInteger("admittedSessions"));
          ctx.completeNow();
        })));
  }

  /** Opens from A until A has admitted its one session (the bus spreads opens over A and B). */
  private static Future<Void> openUntilANodeIsFull(Vertx va, SttVerticle onA) {
    if (onA.nodeLoad().saturated()) {
      return Future.succeededFuture();
    }
    return va.eventBus().request(BusContract.openAddress("stt"), new JsonObject())
        .compose(reply -> openUntilANodeIsFull(va, onA));
  }

  private static Future<Void> delay(Vertx vertx, long ms) {
    Promise<Void> done = Promise.promise();
    vertx.setTimer(ms, t -> done.complete());
    return done.future();
  }

  private static SttVerticleOptions options(String node, int gatewayPort) {
    return new SttVerticleOptions().setNode(node).setClient(Fixtures.clientOptions(gatewayPort))
        .setShutdownTimeoutMs(500).setClosedSessionLingerMs(2_000);
  }

  private static ClusterOptions member(String cluster, int port, List<String> members) {
    return new ClusterOptions().setClusterName(cluster).setHost("127.0.0.1").setPort(port)
        .setPortAutoIncrement(true).setMembers(members).setMaxNoHeartbeatSeconds(4);
  }
}
