package org.voicerelay.stt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TracedVertx;
import org.voicerelay.stt.tracing.Tracing;

/**
 * Tracing across two clustered nodes, both traced ({@link ClusterNode#start(ClusterOptions,
 * io.vertx.core.VertxOptions, io.vertx.core.spi.VertxTracerFactory)}): A opens a session that
 * only B can run, and B's session span is under A's caller span.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ClusterTracingTest {

  private static final TracedVertx TRACED = new TracedVertx();
  private static final List<ClusterNode> NODES = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    System.setProperty("hazelcast.wait.seconds.before.join", "0");
    for (int i = 0; i < 2; i++) {
      NODES.add(ClusterNode.start(TestCluster.joining(NODES), TracedVertx.options(), TRACED.tracerFactory())
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
    }
    ClusterNode b = NODES.get(1);
    int gatewayPort = TestCluster.deployGateway(b).toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS).actualPort();
    TestCluster.deployStt(b, "B", gatewayPort).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    TestCluster.closeAll(NODES).compose(v -> TRACED.close()).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void theCallersSpanOnOneNodeIsTheAncestorOfTheSessionsSpanOnAnother(VertxTestContext ctx) {
    Vertx a = NODES.get(0).vertx();
    Span caller = TRACED.openTelemetry.getTracer("test").spanBuilder("caller").startSpan();
    Promise<Message<JsonObject>> opened = Promise.promise();
    a.runOnContext(v -> {
      try (Scope active = caller.makeCurrent()) {
        a.eventBus().<JsonObject>request("stt.open", new JsonObject()).onComplete(opened);
      }
    });
    opened.future().map(Message::body)
        .compose(session -> a.eventBus().request(session.getString("audioAddress"), Fixtures.tone(3_200))
            .compose(r -> a.eventBus().request(session.getString("controlAddress"),
                new JsonObject().put("action", "end"), new DeliveryOptions().setSendTimeout(20_000)))
            .map(r -> session))
        .compose(session -> sessionSpan(a).map(span -> {
          caller.end();
          ctx.verify(() -> {
            assertEquals("B", session.getString("node"));
            SpanData callerSpan = TRACED.named("caller").get(0);
            assertEquals(callerSpan.getTraceId(), span.getTraceId());
            assertTrue(TRACED.descends(span, callerSpan), "B's session span is under A's caller span");
          });
          return span;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** The session's span, once it ended. */
  private static Future<SpanData> sessionSpan(Vertx vertx) {
    Promise<SpanData> found = Promise.promise();
    long deadline = System.nanoTime() + 10_000_000_000L;
    poll(vertx, found, deadline);
    return found.future();
  }

  private static void poll(Vertx vertx, Promise<SpanData> found, long deadline) {
    List<SpanData> spans = TRACED.named(Tracing.SESSION);
    if (!spans.isEmpty()) {
      found.complete(spans.get(0));
    } else if (System.nanoTime() > deadline) {
      found.fail("no session span within 10 s");
    } else {
      vertx.setTimer(20, t -> poll(vertx, found, deadline));
    }
  }
}
