package org.voicerelay.stt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
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
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.bus.TcpBridgeOptions;
import org.voicerelay.stt.cluster.ClusterNode;
import org.voicerelay.stt.cluster.ClusterOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;

/**
 * Ownership is cluster-wide: a session opened by a subject through one node's bridge is reached
 * again by that subject through another node's bridge (a caller that outlives its connection or
 * its node), and another subject is refused there too.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class SubjectAcrossNodesTest {

  private final List<ClusterNode> nodes = new ArrayList<>();
  private final List<TcpBridgeSocket> sockets = new ArrayList<>();

  @AfterEach
  void stop(VertxTestContext ctx) {
    Future.join(sockets.stream().map(TcpBridgeSocket::close).toList())
        .eventually(() -> Future.join(nodes.stream().map(n -> n.close().otherwiseEmpty()).toList()))
        .onComplete(ar -> ctx.completeNow());
  }

  private Future<ClusterNode> join() {
    int port = FreePort.pick();
    List<String> members = new ArrayList<>();
    nodes.forEach(n -> members.add("127.0.0.1:" + n.hazelcast().getCluster().getLocalMember().getAddress().getPort()));
    members.add("127.0.0.1:" + port);
    String name = nodes.isEmpty() ? "stt-owners-" + port : nodes.get(0).hazelcast().getConfig().getClusterName();
    return ClusterNode.start(new ClusterOptions().setClusterName(name).setHost("127.0.0.1").setPort(port)
        .setMembers(members).setMaxNoHeartbeatSeconds(4)).onSuccess(nodes::add);
  }

  /** The verticle with its bridge (tokens on) on a node; completes with the bridge's port. */
  private static Future<Integer> stt(ClusterNode node, String name, int gatewayPort) {
    return FreePort.bind(port -> node.vertx().deployVerticle(new SttVerticle(new SttVerticleOptions().setNode(name)
        .setClient(Fixtures.clientOptions(gatewayPort)).setShutdownTimeoutMs(2_000).setClosedSessionLingerMs(2_000)
        .setAdmission(Fixtures.relaxedAdmission())
        .setBridge(new TcpBridgeOptions().setEnabled(true).setPort(port).setAuth(new BridgeAuthOptions()
            .setJwtSecret(Tokens.SECRET))))).map(port));
  }

  private Future<TcpBridgeSocket> connect(ClusterNode node, int port, String subject) {
    return TcpBridgeSocket.connect(node.vertx(), port).map(s -> {
      sockets.add(s);
      return s.token(Tokens.hs256(node.vertx(), subject));
    });
  }

  @Test
  void aSubjectReachesItsSessionThroughAnotherNodesBridgeAndAnotherSubjectDoesNot(VertxTestContext ctx) {
    LocalGatewayVerticle gateway = Fixtures.countingGateway();
    int[] ports = new int[2];
    join().compose(a -> a.vertx().deployVerticle(gateway).compose(id -> stt(a, "a", gateway.actualPort())))
        .compose(portA -> {
          ports[0] = portA;
          return join().compose(b -> stt(b, "b", gateway.actualPort()));
        })
        .compose(portB -> {
          ports[1] = portB;
          return connect(nodes.get(0), ports[0], "alice");
        })
        .compose(aliceOnA -> aliceOnA.open(new JsonObject().put("sessionId", "roaming-1")))
        .compose(session -> connect(nodes.get(1), ports[1], "bob").compose(bobOnB -> {
          Future<JsonObject> denied = bobOnB.nextRejection();
          bobOnB.request("stt.open", new JsonObject().put("sessionId", "roaming-1"));
          return denied;
        }).compose(d -> connect(nodes.get(1), ports[1], "alice")).compose(aliceOnB -> {
          aliceOnB.register("stt.session.roaming-1.events");
          Future<JsonObject> closed = aliceOnB.nextEvent("stt.session.roaming-1.events", "closed");
          return aliceOnB.open(new JsonObject().put("sessionId", "roaming-1"))
              .compose(again -> aliceOnB.request(again.getString("audioAddress"), Fixtures.base64Audio(3200)))
              .compose(r -> aliceOnB.request(session.getString("controlAddress"), new JsonObject().put("action", "end")))
              .compose(end -> closed.map(c -> {
                ctx.verify(() -> {
                  assertEquals("ended", c.getString("reason"));
                  assertEquals(0.1, end.getJsonObject("body").getDouble("audioSeconds"), 1e-9);
                });
                return c;
              }));
        }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
