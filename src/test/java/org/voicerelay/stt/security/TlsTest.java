package org.voicerelay.stt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;
import org.voicerelay.stt.web.WebOptions;
import org.voicerelay.stt.web.WebVerticle;

/**
 * TLS on the listeners, with a certificate made in the test: a client that trusts it talks, one
 * that does not (the JDK's default trust) fails the handshake.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TlsTest {

  @Test
  void aClientThatTrustsTheBridgesCertificateOpensASessionAndOneThatDoesNotCannotConnect(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    Path store = TestCertificates.selfSigned("bridge");
    TestStack.builder().tcpBridge(b -> b.setTls(TestCertificates.tls(store))).deploy(vertx).compose(stack ->
        TcpBridgeSocket.connect(vertx, stack.bridgePort(), new NetClientOptions().setSsl(true)
                .setTrustOptions(TestCertificates.trust(store)).setHostnameVerificationAlgorithm("HTTPS"))
            .compose(trusting -> trusting.open(new JsonObject()).eventually(trusting::close))
            .compose(session -> TcpBridgeSocket.connect(vertx, stack.bridgePort(), new NetClientOptions().setSsl(true)
                .setHostnameVerificationAlgorithm("HTTPS")).transform(ar -> {
                  ctx.verify(() -> assertFalse(ar.succeeded(), "a client without the certificate connected"));
                  if (ar.succeeded()) {
                    ar.result().close();
                  }
                  return Future.succeededFuture(session);
                })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aBrowserThatTrustsTheWebEndpointsCertificateGetsThePageAndOneThatDoesNotDoesNot(Vertx vertx,
      VertxTestContext ctx) throws Exception {
    Path store = TestCertificates.selfSigned("web");
    WebVerticle web = new WebVerticle(new WebOptions().setEnabled(true).setPort(0).setTls(TestCertificates.tls(store)));
    vertx.deployVerticle(web).compose(id -> {
      RequestOptions page = new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost")
          .setPort(web.actualPort()).setURI("/");
      HttpClient trusting = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
          .setTrustOptions(TestCertificates.trust(store)).setVerifyHost(true));
      HttpClient other = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true));
      return trusting.request(page).compose(req -> req.send()).map(response -> response.statusCode())
          .compose(status -> other.request(page).compose(req -> req.send()).transform(ar -> {
            ctx.verify(() -> {
              assertEquals(200, status);
              assertFalse(ar.succeeded(), "a client without the certificate got an answer");
            });
            return Future.succeededFuture();
          }))
          .eventually(() -> Future.join(trusting.close(), other.close()));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aScraperThatTrustsTheMetricsCertificateGetsHealthAndOneThatDoesNotDoesNot(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Path store = TestCertificates.selfSigned("metrics");
    TestStack.builder().verticle(o -> o.setMetrics(Fixtures.prometheusOnLoopback()
            .setPrometheus(Fixtures.prometheusOnLoopback().getPrometheus().setTls(TestCertificates.tls(store)))))
        .deploy(vertx)
        .compose(stack -> {
          RequestOptions health = new RequestOptions().setMethod(HttpMethod.GET).setHost("localhost")
              .setPort(stack.verticle.prometheusPort()).setURI("/health");
          HttpClient trusting = vertx.createHttpClient(new HttpClientOptions().setSsl(true)
              .setTrustOptions(TestCertificates.trust(store)).setVerifyHost(true));
          HttpClient other = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true));
          return trusting.request(health).compose(req -> req.send()).map(response -> response.statusCode())
              .compose(status -> other.request(health).compose(req -> req.send()).transform(ar -> {
                ctx.verify(() -> {
                  assertEquals(200, status);
                  assertFalse(ar.succeeded(), "a scraper without the certificate got an answer");
                });
                return Future.succeededFuture();
              }))
              .eventually(() -> Future.join(trusting.close(), other.close()));
        }).onComplete(ctx.succeedingThenComplete());
  }
}
