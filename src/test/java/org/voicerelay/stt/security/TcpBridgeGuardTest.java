package org.voicerelay.stt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/**
 * The TCP bridge without tokens, seen from two connections on real sockets: each reaches only the
 * sessions it opened, whatever ids the other knows or registered first, and "register for the id
 * you chose, then open it" misses no event, for plain and resumable sessions.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class TcpBridgeGuardTest {

  private final List<TcpBridgeSocket> sockets = new ArrayList<>();

  @AfterEach
  void closeTheConnections(VertxTestContext ctx) {
    Future.join(sockets.stream().map(TcpBridgeSocket::close).toList()).onComplete(ar -> ctx.completeNow());
  }

  private Future<List<TcpBridgeSocket>> two(TestStack stack) {
    return Future.all(TcpBridgeSocket.connect(stack), TcpBridgeSocket.connect(stack)).map(both -> {
      List<TcpBridgeSocket> pair = List.of(both.resultAt(0), both.resultAt(1));
      sockets.addAll(pair);
      return pair;
    });
  }

  /** Does {@code action} and waits for the bridge to refuse it. */
  private static Future<JsonObject> refused(TcpBridgeSocket socket, Runnable action) {
    Future<JsonObject> rejection = socket.nextRejection();
    action.run();
    return rejection;
  }

  @Test
  void aSecondConnectionCanNeitherReadWriteNorEndTheFirstConnectionsSession(Vertx vertx, VertxTestContext ctx) {
    String events = "stt.session.call-1234.events";
    TestStack.builder().meterRegistry(new SimpleMeterRegistry()).tcpBridge(b -> { }).deploy(vertx).compose(stack -> two(stack).compose(pair -> {
      TcpBridgeSocket first = pair.get(0);
      TcpBridgeSocket second = pair.get(1);
      first.register(events);
      return first.open(new JsonObject().put("sessionId", "call-1234").put("sampleRate", 16000)).compose(session -> {
        second.register(events);
        return refused(second, () -> second.send(session.getString("audioAddress"), Fixtures.base64Audio(3200)))
            .compose(r -> refused(second, () -> second.request(session.getString("controlAddress"),
                new JsonObject().put("action", "end"))))
            .compose(r -> refused(second, () -> second.request("stt.open", new JsonObject().put("sessionId", "call-1234"))))
            // naming the first one's events address for a session of its own: the contract's 403
            .compose(r -> second.request("stt.open", new JsonObject().put("eventsAddress", events)))
            .compose(r -> {
              ctx.verify(() -> assertEquals(403, r.getInteger("failureCode"), r.encode()));
              Future<JsonObject> closed = first.nextEvent(events, "closed");
              return first.request(session.getString("audioAddress"), Fixtures.base64Audio(16000))
                  .compose(x -> first.request(session.getString("controlAddress"), new JsonObject().put("action", "end")))
                  .compose(end -> closed);
            })
            .map(closed -> {
              ctx.verify(() -> {
                assertEquals("ended", closed.getString("reason"), "the second connection could not end it");
                List<JsonObject> seen = first.events(events);
                assertTrue(seen.stream().anyMatch(e -> "final_transcript".equals(e.getString("type"))));
                for (JsonObject frame : second.frames()) {
                  // only the 403 quoting its own request names the address; no message of the session
                  assertFalse("message".equals(frame.getString("type")) && frame.encode().contains("call-1234"),
                      "the second connection saw " + frame.encode());
                }
              });
              return closed;
            });
      });
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aCallerWhoRegisteredAnotherCallersIdFirstSeesNothingOfThatSession(Vertx vertx, VertxTestContext ctx) {
    String events = "stt.session.guessed-7.events";
    TestStack.builder().meterRegistry(new SimpleMeterRegistry()).tcpBridge(b -> { }).deploy(vertx).compose(stack -> two(stack).compose(pair -> {
      TcpBridgeSocket owner = pair.get(0);
      TcpBridgeSocket guesser = pair.get(1);
      guesser.register(events);
      // a refusal of a later frame proves the registration was taken before the owner opens
      guesser.send("stt.session.guessed-7.control", new JsonObject());
      return guesser.nextRejection().compose(r -> {
        owner.register(events);
        Future<JsonObject> closed = owner.nextEvent(events, "closed");
        return owner.open(new JsonObject().put("sessionId", "guessed-7"))
            .compose(s -> owner.request(s.getString("audioAddress"), Fixtures.base64Audio(3200))
                .compose(x -> owner.request(s.getString("controlAddress"), new JsonObject().put("action", "end"))))
            .compose(end -> closed)
            // the guesser now opens the same id: refused, and what its registration held is gone
            .compose(c -> refused(guesser, () -> guesser.request("stt.open", new JsonObject().put("sessionId", "guessed-7"))))
            .map(denied -> {
              ctx.verify(() -> {
                assertTrue(owner.events(events).size() >= 3, owner.events(events).toString());
                assertEquals(List.of(), guesser.events(events));
              });
              return denied;
            });
      });
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void registeringForTheChosenIdThenOpeningAResumableSessionMissesNoEvent(Vertx vertx, VertxTestContext ctx) {
    String events = "stt.session.resumable-1.events";
    TestStack.builder().meterRegistry(new SimpleMeterRegistry()).tcpBridge(b -> { })
        .deploy(vertx).compose(stack -> TcpBridgeSocket.connect(stack).compose(socket -> {
      sockets.add(socket);
      socket.register(events);
      Future<JsonObject> closed = socket.nextEvent(events, "closed");
      return socket.open(new JsonObject().put("sessionId", "resumable-1").put("resumable", true))
          .compose(session -> {
            ctx.verify(() -> assertEquals(true, session.getBoolean("resumable"), session.encode()));
            return socket.request(session.getString("audioAddress"), Fixtures.base64Audio(32000))
                .compose(x -> socket.request(session.getString("controlAddress"), new JsonObject().put("action", "end")));
          })
          .compose(end -> closed)
          .map(c -> {
            ctx.verify(() -> {
              List<JsonObject> seen = socket.events(events);
              for (int i = 0; i < seen.size(); i++) {
                assertEquals(i + 1, seen.get(i).getLong("seq"), seen.toString());
              }
              assertTrue(seen.stream().anyMatch(e -> "final_transcript".equals(e.getString("type"))));
            });
            return c;
          });
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aRefusalIsTheSameWhetherTheSessionExistsOrNot(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().meterRegistry(new SimpleMeterRegistry()).tcpBridge(b -> { }).deploy(vertx).compose(stack -> two(stack).compose(pair -> {
      TcpBridgeSocket owner = pair.get(0);
      TcpBridgeSocket other = pair.get(1);
      return owner.open(new JsonObject().put("sessionId", "exists-1"))
          .compose(s -> refused(other, () -> other.request("stt.session.exists-1.control",
              new JsonObject().put("action", "status"))))
          .compose(existing -> refused(other, () -> other.request("stt.session.never-was.control",
              new JsonObject().put("action", "status"))).map(missing -> {
                ctx.verify(() -> assertEquals(existing, missing));
                return missing;
              }));
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void publishingAndAddressesOutsideTheContractAreRefused(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().meterRegistry(new SimpleMeterRegistry()).tcpBridge(b -> { })
        .deploy(vertx).compose(stack -> TcpBridgeSocket.connect(stack).compose(socket -> {
      sockets.add(socket);
      return refused(socket, () -> socket.publish("stt.open", new JsonObject()))
          .compose(r -> refused(socket, () -> socket.send("vertx.anything", new JsonObject())))
          .compose(r -> refused(socket, () -> socket.register("stt.open")))
          .compose(r -> refused(socket, () -> socket.register("stt.session.x.audio")))
          .compose(r -> refused(socket, () -> socket.unregister("stt.session.x.events")));
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aConnectionMayHaveOnlyMaxSessionsPerSubjectOpenAtOnce(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().meterRegistry(new SimpleMeterRegistry()).tcpBridge(b -> b.getAuth().setMaxSessionsPerSubject(2))
        .deploy(vertx).compose(stack -> two(stack).compose(pair -> {
      TcpBridgeSocket socket = pair.get(0);
      return socket.open(new JsonObject()).compose(one -> socket.open(new JsonObject()))
          .compose(two -> socket.request("stt.open", new JsonObject()))
          .compose(third -> {
            ctx.verify(() -> {
              assertEquals("err", third.getString("type"), third.encode());
              assertEquals(430, third.getInteger("failureCode"), third.encode());
              assertTrue(third.getString("message").startsWith("quota_exceeded"), third.encode());
              assertEquals(1.0, stack.count(BridgeGuard.REFUSALS_METER, "reason", "quota_exceeded"));
            });
            // without tokens the quota is per connection: another connection still opens
            return pair.get(1).open(new JsonObject());
          });
    })).onComplete(ctx.succeedingThenComplete());
  }
}
