package org.voicerelay.stt.security;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.bus.TcpBridgeOptions;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.LogCapture;
import org.voicerelay.stt.testing.TestStack;
import org.voicerelay.stt.web.WebOptions;

/**
 * A bridge with tokens and TLS, used rightly and wrongly (no token, a forged one, an unsigned one,
 * an expired one, then a whole session): neither the shared secret, nor the key store's password,
 * nor any token appears in a log line, a frame a caller receives (events, replies, errors) or the
 * options' {@code toString()} and {@code toJson()}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class BridgeSecretHygieneTest {

  @RegisterExtension
  final LogCapture logs = new LogCapture();

  @Test
  void noSecretPasswordOrTokenAppearsInLogsFramesOrOptions(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path store = TestCertificates.selfSigned("hygiene");
    long now = System.currentTimeMillis() / 1000;
    String good = Tokens.hs256(vertx, "alice");
    List<String> tokens = List.of(good, Tokens.hs256(vertx, Tokens.OTHER_SECRET, Tokens.claims("alice")),
        Tokens.algNone("alice"), Tokens.hs256(vertx, Tokens.SECRET, new JsonObject().put("sub", "alice")
            .put("exp", now - 3600)));
    List<String> seen = new ArrayList<>();
    List<TcpBridgeSocket> sockets = new ArrayList<>();
    TestStack.builder().tcpBridge(b -> b.setTls(TestCertificates.tls(store)).getAuth().setJwtSecret(Tokens.SECRET))
        .deploy(vertx)
        .compose(stack -> {
          seen.add(stack.verticle.options().toString());
          seen.add(stack.verticle.options().toJson().encode());
          NetClientOptions trusting = new NetClientOptions().setSsl(true).setTrustOptions(TestCertificates.trust(store))
              .setHostnameVerificationAlgorithm("HTTPS");
          Future<Void> chain = Future.succeededFuture();
          for (String token : tokens.subList(1, tokens.size())) {
            chain = chain.compose(v -> TcpBridgeSocket.connect(vertx, stack.bridgePort(), new NetClientOptions(trusting))
                .compose(s -> {
                  sockets.add(s);
                  Future<JsonObject> denied = s.nextRejection();
                  s.token(token).request("stt.open", new JsonObject());
                  return denied.mapEmpty();
                }));
          }
          return chain.compose(v -> TcpBridgeSocket.connect(vertx, stack.bridgePort(), new NetClientOptions(trusting)))
              .compose(s -> {
                sockets.add(s.token(good));
                s.register("stt.session.hygiene-1.events");
                Future<JsonObject> closed = s.nextEvent("stt.session.hygiene-1.events", "closed");
                return s.open(new JsonObject().put("sessionId", "hygiene-1"))
                    .compose(session -> s.request(session.getString("audioAddress"), Fixtures.base64Audio(3200))
                        .compose(r -> s.request(session.getString("audioAddress"), new JsonObject().put("audio", "AA==")))
                        .compose(r -> s.request(session.getString("controlAddress"), new JsonObject().put("action", "end"))))
                    .compose(end -> closed);
              });
        })
        .compose(closed -> Future.join(sockets.stream().map(TcpBridgeSocket::close).toList()))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          sockets.forEach(s -> s.frames().forEach(f -> seen.add(f.encode())));
          seen.add(new TcpBridgeOptions().setTls(TestCertificates.tls(store))
              .setAuth(new BridgeAuthOptions().setJwtSecret(Tokens.SECRET)).toString());
          seen.add(new WebOptions().setTls(TestCertificates.tls(store))
              .setAuth(new BridgeAuthOptions().setJwtSecret(Tokens.SECRET)).toJson().encode());
          seen.add(new SttVerticleOptions(new JsonObject().put("bridge", new JsonObject()
              .put("auth", new JsonObject().put("jwtSecret", Tokens.SECRET)))).toString());
          seen.add(logs.text());
          for (String text : seen) {
            assertFalse(text.contains(Tokens.SECRET), "the secret in: " + text);
            assertFalse(text.contains(TestCertificates.PASSWORD), "the key store password in: " + text);
            for (String token : tokens) {
              assertFalse(text.contains(token), "a token in: " + text);
              String signature = token.substring(token.lastIndexOf('.') + 1);
              assertFalse(!signature.isEmpty() && text.contains(signature), "a token's signature in: " + text);
            }
          }
          ctx.completeNow();
        })));
  }
}
