package org.voicerelay.stt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.ResumableSession;
import org.voicerelay.stt.bus.ResumableSessionOptions;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.Fixtures;

/**
 * Three clustered Vert.x instances in one JVM, Hazelcast on loopback: A and B run the verticle,
 * C runs the gateway (counting engine) and only listens. Node loss is a fourth node that joins,
 * takes a session and dies.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
// The two tests that kill a node run last: until the cluster forgets a dead node's consumers, a
// request may still be routed to it and time out, which is the failure story, not these tests' subject.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusteredTranscriptionTest {

  private static final int CHUNK = 3_200;

  private static List<ClusterNode> nodes;
  private static int gatewayPort;
  private static int bridgePort;

  @BeforeAll
  static void startCluster() throws Exception {
    System.setProperty("hazelcast.wait.seconds.before.join", "0");
    nodes = TestCluster.start(3).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    gatewayPort = TestCluster.deployGateway(nodes.get(2)).toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS).actualPort();
    Future<Integer> bridge = TestCluster.deploySttWithBridge(nodes.get(1), "B", gatewayPort);
    Future.all(TestCluster.deployStt(nodes.get(0), "A", gatewayPort), bridge)
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    bridgePort = bridge.result();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    TestCluster.closeAll(nodes).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void aSessionOpenedFromANodeIsFedFromAnotherAndHeardOnAThird(VertxTestContext testContext) throws Exception {
    Vertx a = nodes.get(0).vertx();
    Vertx c = nodes.get(2).vertx();
    String events = "app.cluster." + UUID.randomUUID();
    EventRecorder recorder = EventRecorder.on(c, events).await(10, TimeUnit.SECONDS);
    List<JsonObject> heard = recorder.events;
    a.eventBus().<JsonObject>request("stt.open", new JsonObject().put("eventsAddress", events))
        .map(Message::body)
        .compose(session -> {
          Vertx feeder = "A".equals(session.getString("node")) ? nodes.get(1).vertx() : a;
          return sendAudio(feeder, session.getString("audioAddress"), 10)
              .compose(v -> a.eventBus().request(session.getString("controlAddress"),
                  new JsonObject().put("action", "end"), new DeliveryOptions().setSendTimeout(20_000)));
        })
        .compose(end -> recorder.closed())
        .onComplete(testContext.succeeding(v -> testContext.verify(() -> {
          for (int i = 0; i < heard.size(); i++) {
            assertEquals(i + 1, heard.get(i).getLong("seq"));
          }
          assertEquals(10L * CHUNK, TestCluster.finalBytes(heard));
          assertEquals("ended", heard.get(heard.size() - 1).getString("reason"));
          testContext.completeNow();
        })));
  }

  @Test
  @Order(2)
  void opensSpreadAcrossTheNodesThatRunTheVerticle(VertxTestContext testContext) {
    Vertx c = nodes.get(2).vertx();
    List<Future<JsonObject>> opens = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < 6; i++) {
      chain = chain.compose(v -> {
        Future<JsonObject> open = c.eventBus().<JsonObject>request("stt.open", new JsonObject()).map(Message::body);
        opens.add(open);
        return open.mapEmpty();
      });
    }
    chain.compose(v -> {
      List<Future<Object>> closing = new ArrayList<>();
      for (Future<JsonObject> open : opens) {
        closing.add(c.eventBus().request(open.result().getString("controlAddress"),
            new JsonObject().put("action", "close")).map(Message::body));
      }
      return Future.all(closing);
    }).onComplete(testContext.succeeding(v -> testContext.verify(() -> {
      Set<String> owners = new HashSet<>();
      opens.forEach(open -> owners.add(open.result().getString("node")));
      assertEquals(Set.of("A", "B"), owners);
      testContext.completeNow();
    })));
  }

  @Test
  @Order(3)
  void aResumableOpenSentFromANodeGetsItsFrontThereWhicheverNodeTakesTheOpen(VertxTestContext testContext) {
    Vertx a = nodes.get(0).vertx();
    Vertx c = nodes.get(2).vertx();
    List<JsonObject> replies = new CopyOnWriteArrayList<>();
    // sent at once, so that Vert.x spreads them over A and B before any front opens its recognition
    List<Future<Void>> sessions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sessions.add(a.eventBus().<JsonObject>request("stt.open", new JsonObject().put("resumable", true))
          .map(Message::body)
          .compose(reply -> {
            replies.add(reply);
            return c.eventBus().<JsonObject>request(reply.getString("controlAddress"),
                new JsonObject().put("action", "status")).map(Message::body);
          })
          .compose(status -> {
            replies.add(status);
            return c.eventBus().request(status.getString("controlAddress"), new JsonObject().put("action", "close"));
          })
          .mapEmpty());
    }
    Future<Void> chain = Future.all(sessions).mapEmpty();
    chain.onComplete(testContext.succeeding(v -> testContext.verify(() -> {
      for (JsonObject reply : replies) {
        assertEquals("A", reply.getString("frontNode"), "the front is on the caller's node: " + reply);
        assertTrue(Set.of("A", "B").contains(reply.getString("node")), "recognition runs on a node: " + reply);
        assertEquals(true, reply.getBoolean("resumable"));
      }
      assertTrue(replies.stream().filter(r -> r.containsKey("state")).allMatch(r -> "open".equals(r.getString("state"))));
      testContext.completeNow();
    })));
  }

  @Test
  @Order(4)
  void whenTheOwnerDiesItsListenersHearClosedNodeLostAndItsAddressesAnswerNoHandlers(VertxTestContext testContext) {
    Vertx b = nodes.get(1).vertx();
    Vertx c = nodes.get(2).vertx();
    List<JsonObject> heard = new CopyOnWriteArrayList<>();
    Promise<JsonObject> closed = Promise.promise();
    joinVictim("D").compose(victim -> openOn(c, "D").compose(session -> c.eventBus().<JsonObject>consumer(
                session.getString("eventsAddress"), m -> {
                  heard.add(m.body());
                  if ("closed".equals(m.body().getString("type"))) {
                    closed.tryComplete(m.body());
                  }
                }).completion()
            .compose(v -> sendAudio(b, session.getString("audioAddress"), 5))
            .compose(v -> TestCluster.crash(victim))
            .compose(v -> closed.future())
            .compose(event -> untilNoHandlers(b, session.getString("audioAddress"), 10).map(event))))
        .onComplete(testContext.succeeding(event -> testContext.verify(() -> {
          assertEquals(BusContract.REASON_NODE_LOST, event.getString("reason"));
          assertEquals(BusContract.REASON_NODE_LOST, event.getJsonObject("error").getString("code"));
          long lastHeard = heard.stream().filter(e -> e != event).mapToLong(e -> e.getLong("seq")).max().orElse(0);
          assertTrue(event.getLong("seq") > lastHeard, "closed comes after every event heard: " + heard);
          assertEquals(1, heard.stream().filter(e -> "closed".equals(e.getString("type"))).count());
          testContext.completeNow();
        })));
  }

  @Test
  @Order(5)
  void aResumableSessionCarriesEveryWordAcrossTheDeathOfItsNode(VertxTestContext testContext) {
    Vertx c = nodes.get(2).vertx();
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    List<JsonObject> resumed = new CopyOnWriteArrayList<>();
    Promise<Void> firstFinal = Promise.promise();
    ResumableSessionOptions options = new ResumableSessionOptions().setSendTimeoutMs(3_000).setReopenDelayMs(300);
    joinVictim("E").compose(victim -> resumableOn(c, options, "E").compose(session -> {
      session.handler(e -> {
        events.add(e);
        if ("final_transcript".equals(e.getString("type"))) {
          firstFinal.tryComplete();
        }
      }).resumeHandler(resumed::add);
      return writeAll(session, 10)
          .compose(v -> session.flush())
          .compose(v -> firstFinal.future())
          .compose(v -> writeAll(session, 5))
          .compose(v -> TestCluster.crash(victim))
          .compose(v -> writeAll(session, 5))
          .compose(v -> session.end())
          .map(last -> session);
    })).onComplete(testContext.succeeding(session -> testContext.verify(() -> {
      assertEquals(1, session.resumes());
      assertEquals(1, resumed.size());
      assertNotEquals("E", session.node());
      assertEquals(1.0, resumed.get(0).getDouble("offsetSeconds"), 1e-9, "the audio before the last final stays behind");
      long replayed = resumed.get(0).getLong("replayedBytes");
      assertTrue(replayed >= 5L * CHUNK && replayed <= 10L * CHUNK, "replayed the kept audio (and any written since): "
          + replayed);
      assertEquals(20L * CHUNK, TestCluster.finalBytes(events), "every byte transcribed once: " + events);
      for (int i = 0; i < events.size(); i++) {
        assertEquals(i + 1, events.get(i).getLong("seq"));
      }
      JsonObject lastFinal = events.stream().filter(e -> "final_transcript".equals(e.getString("type")))
          .reduce((x, y) -> y).orElseThrow();
      JsonObject alt = lastFinal.getJsonArray("alternatives").getJsonObject(0);
      assertEquals(1.0, alt.getDouble("startTime"), 1e-9, "the resumed session's time line goes on");
      assertEquals(2.0, alt.getDouble("endTime"), 1e-9);
      JsonObject last = events.get(events.size() - 1);
      assertEquals("closed", last.getString("type"));
      assertEquals("ended", last.getString("reason"));
      testContext.completeNow();
    })));
  }

  @Test
  @Order(3)
  void thePythonBridgeClientTranscribesAWavThroughANodeOfTheCluster() throws Exception {
    Assumptions.assumeTrue(python3Present(), "python3 is not installed");
    Path wav = Path.of("scripts", "samples", "slt-16k-mono.wav");
    long pcmBytes = WavFile.parse(Files.readAllBytes(wav)).pcm().length;
    Process python = new ProcessBuilder("python3", "scripts/bridge-client.py", "--port", String.valueOf(bridgePort),
        "--fast", "--timeout", "20", wav.toString()).redirectErrorStream(true).start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(python.waitFor(30, TimeUnit.SECONDS), output);
    assertEquals(0, python.exitValue(), output);
    assertTrue(output.contains("bytes " + pcmBytes), "the counting engine heard every byte: " + output);
    assertTrue(output.contains("# closed (ended)"), output);
  }

  // ------------------------------------------------------------ helpers

  private static boolean python3Present() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }


  /** A fourth node with the verticle, to be killed. */
  private static Future<ClusterNode> joinVictim(String name) {
    return ClusterNode.start(TestCluster.joining(nodes))
        .compose(victim -> TestCluster.deployStt(victim, name, gatewayPort).map(victim));
  }

  /** Opens from {@code from} until a session lands on {@code node}; closes the others. */
  private static Future<JsonObject> openOn(Vertx from, String node) {
    return from.eventBus().<JsonObject>request("stt.open", new JsonObject()).map(Message::body).compose(session -> {
      if (node.equals(session.getString("node"))) {
        return Future.succeededFuture(session);
      }
      from.eventBus().request(session.getString("controlAddress"), new JsonObject().put("action", "close"));
      return openOn(from, node);
    });
  }

  private static Future<ResumableSession> resumableOn(Vertx from, ResumableSessionOptions options, String node) {
    return ResumableSession.open(from, options).compose(session -> node.equals(session.node())
        ? Future.succeededFuture(session)
        : session.close().compose(v -> resumableOn(from, options, node)));
  }

  private static Future<Void> sendAudio(Vertx from, String address, int chunks) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < chunks; i++) {
      chain = chain.compose(v -> from.eventBus().request(address, Fixtures.tone(CHUNK)).mapEmpty());
    }
    return chain;
  }

  private static Future<Void> writeAll(ResumableSession session, int chunks) {
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      writes.add(session.write(Fixtures.tone(CHUNK)));
    }
    return Future.all(writes).mapEmpty();
  }

  /** Sends until the event bus answers NO_HANDLERS (the first send may still time out toward the dead node). */
  private static Future<Void> untilNoHandlers(Vertx from, String address, int attempts) {
    return from.eventBus().request(address, Fixtures.tone(CHUNK), new DeliveryOptions().setSendTimeout(1_000))
        .transform(ar -> {
          if (ar.failed() && ar.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
            return Future.succeededFuture();
          }
          if (attempts <= 1) {
            return Future.failedFuture(new AssertionError("still no NO_HANDLERS: " + ar.cause()));
          }
          return untilNoHandlers(from, address, attempts - 1);
        });
  }
}
