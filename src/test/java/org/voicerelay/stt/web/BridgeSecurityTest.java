package org.voicerelay.stt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.TestStack;

/**
 * The bridge as a security boundary, seen from two pages' connections: each reaches only its own
 * sessions, addresses outside the contract are refused, and a connection's sessions end with it.
 * The counting engine stands behind the gateway: these tests are about who may do what.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class BridgeSecurityTest {

  private static final JsonObject OPEN = new JsonObject().put("sampleRate", 16000);

  private final List<BridgeSocket> sockets = new ArrayList<>();

  /** Closed here, not by Vert.x's close, which would wait for each WebSocket's closing handshake. */
  @AfterEach
  void closeTheConnections(VertxTestContext ctx) {
    Future.join(sockets.stream().map(BridgeSocket::close).toList()).onComplete(ar -> ctx.completeNow());
  }

  private Future<BridgeSocket> connect(Vertx vertx, TestStack stack) {
    return BridgeSocket.connect(vertx, stack.webPort()).onSuccess(sockets::add);
  }

  @Test
  void aSecondConnectionCanNeitherReadNorControlTheFirstConnectionsSession(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().web(o -> { }).deploy(vertx).compose(stack ->
        Future.all(connect(vertx, stack), connect(vertx, stack))
            .compose(both -> {
              BridgeSocket first = both.resultAt(0);
              BridgeSocket second = both.resultAt(1);
              return first.open(OPEN).compose(session -> {
                first.register(session.getString("eventsAddress"));
                // the second connection knows every address of the first one's session; its registration
                // is taken (as one for an id it may still open would be) but delivers nothing
                second.register(session.getString("eventsAddress"));
                return Future.succeededFuture().compose(r -> {
                  Future<JsonObject> refusedClose = second.nextRejection();
                  second.send(session.getString("controlAddress"), new JsonObject().put("action", "close"));
                  return refusedClose;
                }).compose(r -> {
                  Future<JsonObject> refusedAudio = second.nextRejection();
                  second.send(session.getString("audioAddress"), audio(3200));
                  return refusedAudio;
                }).compose(r -> {
                  // an open naming another's session id must not hand that session over
                  Future<JsonObject> refusedOpen = second.nextRejection();
                  second.request("stt.open", OPEN.copy().put("sessionId", session.getString("sessionId")));
                  return refusedOpen;
                })
                .compose(refusedOpen -> {
                  // the first connection's session works as before, and its transcript reaches it alone
                  Future<JsonObject> finalTranscript = first.next(f ->
                      session.getString("eventsAddress").equals(f.getString("address"))
                          && "final_transcript".equals(f.getJsonObject("body").getString("type")));
                  return first.request(session.getString("audioAddress"), audio(16000))
                      .compose(r -> first.request(session.getString("controlAddress"),
                          new JsonObject().put("action", "flush")))
                      .compose(r -> finalTranscript)
                      .compose(r -> first.request(session.getString("controlAddress"),
                          new JsonObject().put("action", "status")))
                      .map(status -> {
                        ctx.verify(() -> {
                          assertEquals("open", status.getJsonObject("body").getString("state"));
                          String id = session.getString("sessionId");
                          for (JsonObject frame : second.frames()) {
                            assertFalse(frame.encode().contains(id), "the second connection saw " + frame.encode());
                          }
                        });
                        return status;
                      });
                });
              });
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void addressesOutsideTheContractAreRefused(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().web(o -> { }).deploy(vertx)
        .compose(stack -> connect(vertx, stack))
        .compose(socket -> refused(socket, () -> socket.send("app.orders", new JsonObject()))
            .compose(v -> refused(socket, () -> socket.send("stt.session.s_guessed.control",
                new JsonObject().put("action", "close"))))
            .compose(v -> refused(socket, () -> socket.publish("stt.open", OPEN)))
            .compose(v -> refused(socket, () -> socket.register("stt.open")))
            .compose(v -> refused(socket, () -> socket.register("app.transcripts")))
            .compose(v -> socket.open(OPEN.copy().put("eventsAddress", "app.elsewhere").put("sessionId", "mine")))
            .map(session -> {
              ctx.verify(() -> {
                assertEquals("mine", session.getString("sessionId"), session.encode());
                assertEquals("stt.session.mine.events", session.getString("eventsAddress"),
                    "a page gets the session's own events address, whatever it asked for");
              });
              return session;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void closingTheConnectionClosesItsSessions(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().web(o -> { }).deploy(vertx).compose(stack ->
        connect(vertx, stack).compose(socket -> socket.open(OPEN).compose(session -> {
          Future<JsonObject> closed = stack.nextEvent(session.getString("eventsAddress"), "closed");
          return socket.request(session.getString("audioAddress"), audio(3200))
              .compose(r -> socket.close())
              .compose(v -> closed);
        })).map(closed -> {
          ctx.verify(() -> {
            assertEquals("closed", closed.getString("reason"));
            assertEquals(0, stack.web.connections());
          });
          return closed;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aConnectionMayHaveOnlyMaxSessionsPerConnectionOpenAtOnce(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().web(o -> o.setMaxSessionsPerConnection(2)).deploy(vertx).compose(stack ->
        connect(vertx, stack).compose(socket -> socket.open(OPEN)
            .compose(one -> socket.open(OPEN).compose(two -> socket.request("stt.open", OPEN)
                .compose(third -> {
                  ctx.verify(() -> {
                    assertEquals("err", third.getString("type"), third.encode());
                    assertEquals(430, third.getInteger("failureCode"), third.encode());
                  });
                  // a session that has ended no longer counts
                  Future<JsonObject> closed = stack.nextEvent(one.getString("eventsAddress"), "closed");
                  return socket.request(one.getString("controlAddress"), new JsonObject().put("action", "close"))
                      .compose(r -> closed)
                      .compose(c -> socket.open(OPEN));
                })))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aPageOfAnotherOriginCannotConnect(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().web(o -> { }).deploy(vertx)
        .compose(stack -> BridgeSocket.connect(vertx, stack.webPort(), "http://evil.example")
            .compose(BridgeSocket::closed)
            .map(v -> {
              ctx.verify(() -> assertEquals(0, stack.web.connections()));
              return v;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** Does {@code action} and waits for the bridge to refuse it. */
  private static Future<Void> refused(BridgeSocket socket, Runnable action) {
    Future<JsonObject> rejection = socket.nextRejection();
    action.run();
    return rejection.mapEmpty();
  }

  private static JsonObject audio(int bytes) {
    Buffer pcm = Buffer.buffer(bytes);
    for (int i = 0; i < bytes / 2; i++) {
      pcm.appendShortLE((short) (Math.sin(i / 8.0) * 8000));
    }
    return new JsonObject().put("audio", Base64.getEncoder().encodeToString(pcm.getBytes()));
  }
}
