package org.voicerelay.stt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The TCP bridge with tokens (HS256, the shared secret): every way a token can be wrong is refused
 * with {@code access_denied}, opens nothing and is counted; a session belongs to the token's
 * subject, reachable again from a new connection by that subject and never by another.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class TcpBridgeAuthTest {

  private final List<TcpBridgeSocket> sockets = new ArrayList<>();

  @AfterEach
  void closeTheConnections(VertxTestContext ctx) {
    Future.join(sockets.stream().map(TcpBridgeSocket::close).toList()).onComplete(ar -> ctx.completeNow());
  }

  private static Future<TestStack> deploy(Vertx vertx) {
    return TestStack.builder().meterRegistry(new SimpleMeterRegistry()).tcpBridge(b -> b.getAuth().setJwtSecret(Tokens.SECRET).setMaxSessionsPerSubject(2))
        .deploy(vertx);
  }

  private Future<TcpBridgeSocket> connect(TestStack stack, String token) {
    return TcpBridgeSocket.connect(stack).map(s -> {
      sockets.add(s);
      return s.token(token);
    });
  }

  /** An open with {@code token} is refused with access_denied, counted as {@code reason}, and opens nothing. */
  private void openIsRefused(Vertx vertx, VertxTestContext ctx, String token, String reason) {
    deploy(vertx).compose(stack -> connect(stack, token).compose(socket -> {
      Future<JsonObject> denied = socket.nextRejection();
      socket.request("stt.open", new JsonObject().put("sessionId", "never-1"));
      return denied.compose(d -> {
        // the refused caller cannot even register for the id it named
        Future<JsonObject> again = socket.nextRejection();
        socket.register("stt.session.never-1.events");
        return again;
      }).map(d -> {
        ctx.verify(() -> {
          assertEquals(0.0, stack.count("stt.sessions.opened"), "nothing was opened");
          assertEquals(2.0, stack.count(BridgeGuard.REFUSALS_METER, "reason", reason), "refusals counted as " + reason);
        });
        return d;
      });
    })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aFrameWithoutATokenIsRefused(Vertx vertx, VertxTestContext ctx) {
    openIsRefused(vertx, ctx, null, "no_token");
  }

  @Test
  void aTokenWithAWrongSignatureIsRefused(Vertx vertx, VertxTestContext ctx) {
    openIsRefused(vertx, ctx, Tokens.hs256(vertx, Tokens.OTHER_SECRET, Tokens.claims("alice")), "invalid_token");
  }

  @Test
  void anUnsignedTokenWithAlgNoneIsRefused(Vertx vertx, VertxTestContext ctx) {
    openIsRefused(vertx, ctx, Tokens.algNone("alice"), "invalid_token");
  }

  @Test
  void anExpiredTokenIsRefused(Vertx vertx, VertxTestContext ctx) {
    long now = System.currentTimeMillis() / 1000;
    openIsRefused(vertx, ctx, Tokens.hs256(vertx, Tokens.SECRET, new JsonObject().put("sub", "alice")
        .put("iat", now - 7200).put("exp", now - 3600)), "expired");
  }

  @Test
  void aTokenNotValidYetIsRefused(Vertx vertx, VertxTestContext ctx) {
    long now = System.currentTimeMillis() / 1000;
    openIsRefused(vertx, ctx, Tokens.hs256(vertx, Tokens.SECRET, new JsonObject().put("sub", "alice")
        .put("nbf", now + 3600).put("exp", now + 7200)), "expired");
  }

  @Test
  void aTokenWithoutASubjectIsRefused(Vertx vertx, VertxTestContext ctx) {
    openIsRefused(vertx, ctx, Tokens.hs256(vertx, Tokens.SECRET, Tokens.claims(null)), "no_subject");
  }

  @Test
  void aSecondSubjectCanNeitherReadWriteNorEndTheFirstSubjectsSession(Vertx vertx, VertxTestContext ctx) {
    String events = "stt.session.alice-call.events";
    deploy(vertx).compose(stack -> Future.all(connect(stack, Tokens.hs256(vertx, "alice")),
        connect(stack, Tokens.hs256(vertx, "bob"))).compose(both -> {
          TcpBridgeSocket alice = both.resultAt(0);
          TcpBridgeSocket bob = both.resultAt(1);
          bob.register(events);
          alice.register(events);
          return alice.open(new JsonObject().put("sessionId", "alice-call")).compose(session -> {
            Future<JsonObject> deniedAudio = bob.nextRejection();
            bob.send(session.getString("audioAddress"), Fixtures.base64Audio(3200));
            return deniedAudio.compose(d -> {
              Future<JsonObject> deniedEnd = bob.nextRejection();
              bob.request(session.getString("controlAddress"), new JsonObject().put("action", "end"));
              return deniedEnd;
            }).compose(d -> {
              Future<JsonObject> deniedOpen = bob.nextRejection();
              bob.request("stt.open", new JsonObject().put("sessionId", "alice-call"));
              return deniedOpen;
            }).compose(d -> {
              Future<JsonObject> closed = alice.nextEvent(events, "closed");
              return alice.request(session.getString("audioAddress"), Fixtures.base64Audio(3200))
                  .compose(r -> alice.request(session.getString("controlAddress"), new JsonObject().put("action", "end")))
                  .compose(r -> closed);
            }).map(closed -> {
              ctx.verify(() -> {
                assertEquals("ended", closed.getString("reason"));
                assertEquals(List.of(), bob.events(events), "bob saw alice's events");
              });
              return closed;
            });
          });
        })).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theSameSubjectReachesItsSessionAgainFromANewConnection(Vertx vertx, VertxTestContext ctx) {
    String events = "stt.session.alice-long.events";
    deploy(vertx).compose(stack -> connect(stack, Tokens.hs256(vertx, "alice"))
        .compose(first -> first.open(new JsonObject().put("sessionId", "alice-long")).compose(session ->
            first.request(session.getString("audioAddress"), Fixtures.base64Audio(3200)).compose(r -> first.close())
                .compose(v -> connect(stack, Tokens.hs256(vertx, "alice")))
                .compose(second -> {
                  second.register(events);
                  Future<JsonObject> closed = second.nextEvent(events, "closed");
                  return second.open(new JsonObject().put("sessionId", "alice-long"))
                      .compose(again -> {
                        ctx.verify(() -> assertEquals(session.getString("audioAddress"), again.getString("audioAddress")));
                        return second.request(again.getString("audioAddress"), Fixtures.base64Audio(3200));
                      })
                      .compose(r -> second.request(session.getString("controlAddress"), new JsonObject().put("action", "end")))
                      .compose(end -> {
                        ctx.verify(() -> assertEquals(0.2, end.getJsonObject("body").getDouble("audioSeconds"), 1e-9,
                            "both connections' audio went into the one session"));
                        return closed;
                      });
                }))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aConnectionKeepsTheSubjectOfItsFirstToken(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx).compose(stack -> connect(stack, Tokens.hs256(vertx, "alice")).compose(socket ->
        socket.open(new JsonObject()).compose(session -> {
          Future<JsonObject> denied = socket.nextRejection();
          socket.token(Tokens.hs256(vertx, "bob")).request(session.getString("controlAddress"),
              new JsonObject().put("action", "status"));
          return denied.map(d -> {
            ctx.verify(() -> assertEquals(1.0, stack.count(BridgeGuard.REFUSALS_METER, "reason", "other_subject")));
            return d;
          });
        }))).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theQuotaCountsASubjectsSessionsOnAllItsConnections(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx).compose(stack -> Future.all(connect(stack, Tokens.hs256(vertx, "alice")),
        connect(stack, Tokens.hs256(vertx, "alice")), connect(stack, Tokens.hs256(vertx, "bob"))).compose(all -> {
          TcpBridgeSocket one = all.resultAt(0);
          TcpBridgeSocket two = all.resultAt(1);
          TcpBridgeSocket bob = all.resultAt(2);
          return one.open(new JsonObject()).compose(s -> two.open(new JsonObject()))
              .compose(s -> two.request("stt.open", new JsonObject()))
              .compose(third -> {
                ctx.verify(() -> {
                  assertEquals(430, third.getInteger("failureCode"), third.encode());
                  assertTrue(third.getString("message").contains("maxSessionsPerSubject 2"), third.encode());
                });
                return bob.open(new JsonObject());
              });
        })).onComplete(ctx.succeedingThenComplete());
  }
}
