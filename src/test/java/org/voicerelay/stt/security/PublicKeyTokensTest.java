package org.voicerelay.stt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.TestStack;

/**
 * Tokens signed by an issuer's private key, checked against its public key: an RSA key in PEM
 * (RS256), an EC key in a JWKS file and at a JWKS URL (ES256). A token of another key is refused.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class PublicKeyTokensTest {

  private final List<TcpBridgeSocket> sockets = new ArrayList<>();

  @AfterEach
  void closeTheConnections(VertxTestContext ctx) {
    Future.join(sockets.stream().map(TcpBridgeSocket::close).toList()).onComplete(ar -> ctx.completeNow());
  }

  /** The issuer's token opens a session; a token of another key of the same kind is refused. */
  private Future<Void> acceptsOnly(TestStack stack, String good, String forged) {
    return Future.all(TcpBridgeSocket.connect(stack), TcpBridgeSocket.connect(stack)).compose(both -> {
      TcpBridgeSocket trusted = both.<TcpBridgeSocket>resultAt(0).token(good);
      TcpBridgeSocket other = both.<TcpBridgeSocket>resultAt(1).token(forged);
      sockets.add(trusted);
      sockets.add(other);
      return trusted.open(new JsonObject()).compose(session -> {
        Future<JsonObject> denied = other.nextRejection();
        other.request("stt.open", new JsonObject());
        return denied;
      }).map(d -> {
        assertEquals(1.0, stack.count("stt.sessions.opened"));
        return null;
      });
    });
  }

  @Test
  void anRs256TokenIsCheckedAgainstAPemPublicKey(Vertx vertx, VertxTestContext ctx) {
    KeyPair issuer = Tokens.keyPair("RSA");
    KeyPair forger = Tokens.keyPair("RSA");
    TestStack.builder().meterRegistry(new SimpleMeterRegistry()).tcpBridge(b -> b.getAuth().setPublicKeys(List.of(Tokens.publicPem(issuer)))).deploy(vertx)
        .compose(stack -> acceptsOnly(stack, Tokens.signed(vertx, "RS256", Tokens.privatePem(issuer), "alice"),
            Tokens.signed(vertx, "RS256", Tokens.privatePem(forger), "alice")))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anEs256TokenIsCheckedAgainstAJwksFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    KeyPair issuer = Tokens.keyPair("EC");
    KeyPair forger = Tokens.keyPair("EC");
    Path dir = Files.createDirectories(Path.of("target", "security-tests"));
    Path jwks = dir.resolve("jwks-" + UUID.randomUUID() + ".json");
    Files.writeString(jwks, Tokens.jwks(issuer).encode());
    TestStack.builder().meterRegistry(new SimpleMeterRegistry()).tcpBridge(b -> b.getAuth().setJwksPath(jwks.toString())).deploy(vertx)
        .compose(stack -> acceptsOnly(stack, Tokens.signed(vertx, "ES256", Tokens.privatePem(issuer), "alice"),
            Tokens.signed(vertx, "ES256", Tokens.privatePem(forger), "alice")))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void anEs256TokenIsCheckedAgainstTheKeysAtAJwksUrl(Vertx vertx, VertxTestContext ctx) {
    KeyPair issuer = Tokens.keyPair("EC");
    KeyPair forger = Tokens.keyPair("EC");
    String body = Tokens.jwks(issuer).encode();
    vertx.createHttpServer().requestHandler(req -> req.response().putHeader("content-type", "application/json")
            .end(body))
        .listen(0, "127.0.0.1")
        .compose((HttpServer issuerServer) -> TestStack.builder().meterRegistry(new SimpleMeterRegistry()).tcpBridge(b -> b.getAuth()
            .setJwksUrl("http://127.0.0.1:" + issuerServer.actualPort() + "/.well-known/jwks.json")).deploy(vertx))
        .compose(stack -> acceptsOnly(stack, Tokens.signed(vertx, "ES256", Tokens.privatePem(issuer), "alice"),
            Tokens.signed(vertx, "ES256", Tokens.privatePem(forger), "alice")))
        .onComplete(ctx.succeedingThenComplete());
  }
}
