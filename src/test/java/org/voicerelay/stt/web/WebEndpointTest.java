package org.voicerelay.stt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.TestStack;

/** What the endpoint serves over plain HTTP, and what it does not. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class WebEndpointTest {

  @Test
  void thePageItsScriptsAndTheBridgeClientLibraryAreServedWithASecurityPolicy(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().web(o -> { }).deploy(vertx).compose(stack -> {
      WebClient client = WebClient.create(vertx);
      return Future.all(get(client, stack, "/"), get(client, stack, "/app.js"), get(client, stack, "/pcm-worklet.js"),
              get(client, stack, "/vendor/vertx-eventbus.js"), get(client, stack, "/vendor/sockjs.min.js"))
          .map(all -> {
            ctx.verify(() -> {
              for (int i = 0; i < all.size(); i++) {
                HttpResponse<Buffer> r = all.resultAt(i);
                assertEquals(200, r.statusCode());
                assertTrue(r.getHeader("Content-Security-Policy").contains("default-src 'self'"));
                assertEquals("DENY", r.getHeader("X-Frame-Options"));
              }
              assertTrue(((HttpResponse<Buffer>) all.resultAt(0)).bodyAsString().contains("Live transcription"));
            });
            return all;
          });
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theSockJsIframeThatWouldLetOtherSitesInIsNotServed(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().web(o -> { }).deploy(vertx)
        .compose(stack -> get(WebClient.create(vertx), stack, WebVerticle.BRIDGE_PATH + "/iframe.html"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(404, r.statusCode());
          ctx.completeNow();
        })));
  }

  @Test
  void aLoopbackEndpointAnswersNothingToAnotherHostName(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().web(o -> { }).deploy(vertx)
        .compose(stack -> WebClient.create(vertx).get(stack.webPort(), "127.0.0.1", "/")
            .putHeader("Host", "rebound.example:" + stack.webPort()).send())
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(421, r.statusCode());
          ctx.completeNow();
        })));
  }

  @Test
  void aDisabledEndpointServesNothing(Vertx vertx, VertxTestContext ctx) {
    WebVerticle web = new WebVerticle(new WebOptions().setEnabled(false).setPort(0));
    vertx.deployVerticle(web).onComplete(ctx.succeeding(id -> ctx.verify(() -> {
      assertEquals(-1, web.actualPort());
      ctx.completeNow();
    })));
  }

  private static Future<HttpResponse<Buffer>> get(WebClient client, TestStack stack, String path) {
    return client.get(stack.webPort(), "127.0.0.1", path).send();
  }
}
