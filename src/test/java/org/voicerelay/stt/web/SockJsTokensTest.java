package org.voicerelay.stt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.security.BridgeAuthOptions;
import org.voicerelay.stt.testing.TestStack;

/**
 * The SockJS bridge with tokens ({@code web.auth}): a page or program sends its JWT in every
 * frame's headers, as the bridge's client library does with {@code send(address, body, headers)};
 * without one nothing opens, and a session belongs to the token's subject.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SockJsTokensTest {

  private static final String SECRET = "web-secret-Hq73pLx9-for-tests-only-2201";

  private final List<BridgeSocket> sockets = new ArrayList<>();

  @AfterEach
  void closeTheConnections(VertxTestContext ctx) {
    Future.join(sockets.stream().map(BridgeSocket::close).toList()).onComplete(ar -> ctx.completeNow());
  }

  private static String token(Vertx vertx, String subject) {
    long now = System.currentTimeMillis() / 1000;
    return JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256")
        .setBuffer(SECRET))).generateToken(new JsonObject().put("sub", subject).put("exp", now + 600),
        new JWTOptions().setNoTimestamp(true));
  }

  @Test
  void aPageWithoutATokenOpensNothingAndAnotherSubjectCannotTouchAPagesSession(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().web(o -> o.setAuth(new BridgeAuthOptions().setJwtSecret(SECRET))).deploy(vertx)
        .compose(stack -> Future.all(BridgeSocket.connect(vertx, stack.webPort()), BridgeSocket.connect(vertx, stack.webPort()),
            BridgeSocket.connect(vertx, stack.webPort())).compose(all -> {
              BridgeSocket anonymous = all.resultAt(0);
              BridgeSocket alice = all.<BridgeSocket>resultAt(1).token(token(vertx, "alice"));
              BridgeSocket bob = all.<BridgeSocket>resultAt(2).token(token(vertx, "bob"));
              sockets.addAll(List.of(anonymous, alice, bob));
              Future<JsonObject> refusedOpen = anonymous.nextRejection();
              anonymous.request("stt.open", new JsonObject());
              return refusedOpen.compose(r -> alice.open(new JsonObject().put("sessionId", "page-alice")))
                  .compose(session -> {
                    Future<JsonObject> refusedEnd = bob.nextRejection();
                    bob.request(session.getString("controlAddress"), new JsonObject().put("action", "end"));
                    return refusedEnd.compose(r -> alice.request(session.getString("controlAddress"),
                        new JsonObject().put("action", "status")));
                  })
                  .map(status -> {
                    ctx.verify(() -> assertEquals("open", status.getJsonObject("body").getString("state"), status.encode()));
                    return status;
                  });
            }))
        .onComplete(ctx.succeedingThenComplete());
  }
}
