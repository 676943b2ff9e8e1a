package org.voicerelay.stt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.bus.impl.SessionDirectory;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.testing.Fixtures;

/**
 * Two clustered Vert.x instances in one JVM, each with two instances of the verticle (and the
 * counting gateway on the first): concurrent opens of one id, from both nodes, make one session.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class OneSessionPerIdTest {

  private static final int ROUNDS = 20;
  private static final int OPENS_PER_NODE = 8;
  private static final int CHUNKS = 6;
  private static final int CHUNK = 3_200;

  private static List<ClusterNode> nodes;
  private static final List<SimpleMeterRegistry> registries = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    System.setProperty("hazelcast.wait.seconds.before.join", "0");
    nodes = TestCluster.start(2).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    int gatewayPort = TestCluster.deployGateway(nodes.get(0)).toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS).actualPort();
    List<Future<String>> deploying = new ArrayList<>();
    for (int n = 0; n < nodes.size(); n++) {
      ClusterNode node = nodes.get(n);
      for (int i = 0; i < 2; i++) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registries.add(registry);
        deploying.add(node.vertx().deployVerticle(new SttVerticle(TestCluster.sttOptions("N" + n, gatewayPort),
            registry)));
      }
    }
    Future.all(deploying).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    TestCluster.closeAll(nodes).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void sixteenConcurrentOpensOfOneIdOnTwoNodesMakeOneSessionThatHearsEveryByte(VertxTestContext testContext) {
    double openedBefore = sessionsOpened();
    Future<Void> rounds = Future.succeededFuture();
    for (int r = 0; r < ROUNDS; r++) {
      int round = r;
      rounds = rounds.compose(v -> round(round));
    }
    rounds.onComplete(testContext.succeeding(v -> testContext.verify(() -> {
      assertEquals(ROUNDS, sessionsOpened() - openedBefore, "one session per round, across both nodes and all four instances");
      testContext.completeNow();
    })));
  }

  @Test
  void anIdClaimedByANodeThatLeftTheClusterIsTakenOverByTheNextOpen(VertxTestContext testContext) {
    String id = "claim_gone_" + UUID.randomUUID().toString().substring(0, 8);
    JsonObject stale = new JsonObject().put("owner", "a-node-that-left").put("token", "t").put("state", "open")
        .put("reply", new JsonObject().put("sessionId", id).put("node", "GONE"));
    Vertx vertx = nodes.get(0).vertx();
    vertx.sharedData().<String, JsonObject>getAsyncMap(SessionDirectory.MAP_PREFIX + "stt")
        .compose(map -> map.put(id, stale))
        .compose(v -> nodes.get(1).vertx().eventBus().<JsonObject>request("stt.open",
            new JsonObject().put("sessionId", id)))
        .map(Message::body)
        .compose(reply -> vertx.eventBus().request(reply.getString("controlAddress"),
            new JsonObject().put("action", "close")).map(reply))
        .onComplete(testContext.succeeding(reply -> testContext.verify(() -> {
          assertNotEquals("GONE", reply.getString("node"));
          assertEquals("stt.session." + id + ".audio", reply.getString("audioAddress"));
          testContext.completeNow();
        })));
  }

  @Test
  void theEntriesOfALostNodeAreTakenAndNoOthers(VertxTestContext testContext) {
    Vertx vertx = nodes.get(0).vertx();
    String lost = "lost_" + UUID.randomUUID().toString().substring(0, 8);
    String kept = "kept_" + UUID.randomUUID().toString().substring(0, 8);
    vertx.sharedData().<String, JsonObject>getAsyncMap(SessionDirectory.MAP_PREFIX + "stt")
        .compose(map -> map.put(lost, new JsonObject().put("owner", "node-lost").put("state", "open"))
            .compose(v -> map.put(kept, new JsonObject().put("owner", "node-kept").put("state", "open")))
            .compose(v -> SessionDirectory.takeEntriesOf(vertx, "stt", "node-lost"))
            .compose(taken -> map.get(lost).compose(l -> map.get(kept).map(k -> {
              testContext.verify(() -> {
                assertEquals(1, taken.size());
                assertNull(l);
                assertEquals("node-kept", k.getString("owner"));
              });
              return map;
            })))
            .compose(m -> m.remove(kept)))
        .onComplete(testContext.succeedingThenComplete());
  }

  /** 16 opens at once, then audio through the reply they all got, then end; fails on any difference. */
  private static Future<Void> round(int round) {
    String id = "claim_" + round + "_" + UUID.randomUUID().toString().substring(0, 8);
    double openedBefore = sessionsOpened();
    List<Future<JsonObject>> opens = new ArrayList<>();
    for (int i = 0; i < OPENS_PER_NODE; i++) {
      for (ClusterNode node : nodes) {
        opens.add(node.vertx().eventBus().<JsonObject>request("stt.open", new JsonObject().put("sessionId", id))
            .map(Message::body));
      }
    }
    Vertx listener = nodes.get(1).vertx();
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    Promise<Void> closed = Promise.promise();
    return Future.all(opens).compose(all -> {
      JsonObject first = opens.get(0).result();
      for (Future<JsonObject> open : opens) {
        if (!first.equals(open.result())) {
          return Future.failedFuture(new AssertionError("round " + round + ": different open replies " + first
              + " and " + open.result()));
        }
      }
      if (sessionsOpened() - openedBefore != 1) {
        return Future.failedFuture(new AssertionError("round " + round + ": " + (sessionsOpened() - openedBefore)
            + " sessions for one id"));
      }
      MessageConsumer<JsonObject> consumer = listener.eventBus().consumer(first.getString("eventsAddress"), m -> {
        events.add(m.body());
        if ("closed".equals(m.body().getString("type"))) {
          closed.tryComplete();
        }
      });
      return consumer.completion()
          .compose(v -> sendAudio(first.getString("audioAddress")))
          .compose(v -> nodes.get(round % 2).vertx().eventBus().request(first.getString("controlAddress"),
              new JsonObject().put("action", "end"), new DeliveryOptions().setSendTimeout(10_000)))
          .compose(v -> closed.future())
          .compose(v -> consumer.unregister())
          .compose(v -> {
            long bytes = TestCluster.finalBytes(events);
            return bytes == (long) CHUNKS * CHUNK ? Future.succeededFuture()
                : Future.failedFuture(new AssertionError("round " + round + ": the gateway heard " + bytes
                    + " of " + CHUNKS * CHUNK + " bytes: " + events));
          });
    });
  }

  /** Chunks alternately from both nodes, each answered before the next. */
  private static Future<Void> sendAudio(String address) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < CHUNKS; i++) {
      Vertx from = nodes.get(i % 2).vertx();
      chain = chain.compose(v -> from.eventBus().request(address, Fixtures.tone(CHUNK)).mapEmpty());
    }
    return chain;
  }

  private static double sessionsOpened() {
    return registries.stream().mapToDouble(r -> {
      Counter c = r.find("stt.sessions.opened").counter();
      return c == null ? 0 : c.count();
    }).sum();
  }
}
