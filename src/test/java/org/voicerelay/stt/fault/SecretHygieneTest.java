package org.voicerelay.stt.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.LogCapture;
import org.voicerelay.stt.testing.TestStack;

/**
 * A run with failures (a drop and reconnect with a fresh token, garbage from the gateway, a 401 on
 * reconnect, a client with a wrong secret) must not show the API secret or any token it issued in
 * a log line, an event, a reply, an exception message or a {@code toString()}. Tokens are caught
 * where they travel: the {@code Authorization} header of every upgrade the proxy sees.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class SecretHygieneTest {

  private static final String WRONG_SECRET = "wrong-secret-Hk29vQ0pLmX7-also-private";

  @RegisterExtension
  final LogCapture logs = new LogCapture();

  @Test
  void theSecretAndTheTokensAppearInNoLogEventReplyExceptionOrToStringDuringARunWithFailures(Vertx vertx,
      VertxTestContext ctx) {
    List<String> seen = new ArrayList<>();
    byte[] pcm = FaultFixtures.audio(4);
    TestStack[] stackRef = new TestStack[1];
    FaultFixtures.stack(1.0).deploy(vertx).compose(stack -> {
      stackRef[0] = stack;
      seen.add(stack.verticle.options().toString());
      seen.add(stack.verticle.options().toJson().encode());
      return Future.all(EventRecorder.on(vertx, "app.secret.a"), EventRecorder.on(vertx, "app.secret.b"));
    }).compose(both -> {
      TestStack stack = stackRef[0];
      EventRecorder a = both.resultAt(0);
      EventRecorder b = both.resultAt(1);
      // session a: a drop (reconnect with a new token) and garbage from the gateway, then a clean end
      Future<?> sessionA = stack.open("app.secret.a").compose(s -> FaultFixtures.live(stack.vertx, s, pcm, 3_200, 10, n -> {
        if (n == 10) {
          stack.proxy.injectToClients("{not json at all");
          stack.proxy.dropAll();
        }
      }).compose(v -> stack.control(s, "status")).onSuccess(st -> seen.add(st.encode()))
          .compose(v -> stack.control(s, "end")).onSuccess(r -> seen.add(r.encode()))
          .compose(v -> a.closed()));
      return sessionA.compose(v -> {
        // session b: the gateway starts refusing the credentials; the session fails; end says why
        return stack.open("app.secret.b").compose(s -> FaultFixtures.live(stack.vertx, s, pcm, 3_200, 10, n -> {
          if (n == 10) {
            stack.proxy.rejectWith(401);
            stack.proxy.dropAll();
          }
        }).compose(v2 -> b.closed()).compose(v2 -> stack.control(s, "end"))
            .transform(ar -> {
              seen.add(String.valueOf(ar.cause()));
              seen.add(String.valueOf(ar.cause() == null ? null : ar.cause().getMessage()));
              return Future.succeededFuture();
            }));
      }).compose(v -> wrongSecretClient(vertx, stack, seen)).map(v -> {
        a.events.forEach(e -> seen.add(e.encode()));
        b.events.forEach(e -> seen.add(e.encode()));
        ctx.verify(() -> {
          assertEquals("ended", a.closed().result().getString("reason"));
          assertEquals("failed", b.closed().result().getString("reason"));
          assertTrue(a.ofType("reconnecting").size() >= 1);
        });
        return stack;
      });
    })
        .onComplete(ctx.succeeding(stack -> ctx.verify(() -> {
          List<String> tokens = new ArrayList<>();
          for (String header : stack.proxy.authorizations) {
            tokens.add(header.substring("Bearer ".length()));
          }
          assertTrue(tokens.size() >= 4, "tokens seen: " + tokens.size());
          String logged = logs.text();
          assertTrue(logged.contains("reconnecting"), "the log capture works");
          seen.add(logged);
          String everything = String.join("\n", seen);
          assertFalse(everything.contains(FaultFixtures.API_SECRET), "the API secret leaked");
          assertFalse(everything.contains(WRONG_SECRET), "the wrong secret leaked");
          for (String token : tokens) {
            assertFalse(everything.contains(token), "a token leaked");
            String signature = token.substring(token.lastIndexOf('.') + 1);
            assertFalse(everything.contains(signature), "a token signature leaked");
          }
          ctx.completeNow();
        })));
  }

  /** A client of its own with a wrong secret, through the proxy: refused with 401. */
  private static Future<Void> wrongSecretClient(Vertx vertx, TestStack stack, List<String> seen) {
    stack.proxy.rejectWith(-1);
    SttOptions options = new SttOptions().setBaseUrl("http://127.0.0.1:" + stack.proxy.port() + "/v1")
        .setApiKey(FaultFixtures.API_KEY).setApiSecret(WRONG_SECRET);
    SttClient client = SttClient.create(vertx, options);
    seen.add(options.toString());
    seen.add(options.toJson().encode());
    seen.add(client.toString());
    SpeechStream stream = client.stream();
    seen.add(stream.toString());
    stream.handler(e -> seen.add(e.toJson().encode()));
    List<Throwable> failures = new ArrayList<>();
    stream.exceptionHandler(failures::add);
    stream.write(Buffer.buffer(new byte[3_200]));
    return stream.end().transform(ar -> {
      seen.add(stream.toString());
      seen.add(stream.status().encode());
      for (Throwable t = ar.cause(); t != null; t = t.getCause()) {
        seen.add(t.toString());
        seen.add(String.valueOf(t.getMessage()));
      }
      failures.forEach(t -> seen.add(t.toString()));
      return client.close();
    }).mapEmpty();
  }
}
