package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;
import org.voicerelay.stt.testing.TracedVertx;
import org.voicerelay.stt.tracing.Tracing;

/** A bus session's span (docs/operations.md, "Tracing") under its caller's, read from an in-memory exporter. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SessionTracingTest {

  private static final String WORKER_TOKEN = "worker-token-that-must-never-be-traced-7";

  private TracedVertx traced;
  private TestStack stack;

  @BeforeEach
  void deploy(VertxTestContext ctx) {
    traced = new TracedVertx();
    TestStack.builder().client(port -> Fixtures.clientOptions(port).setWorkerToken(WORKER_TOKEN))
        .deploy(traced.vertx).onComplete(ctx.succeeding(s -> {
          stack = s;
          ctx.completeNow();
        }));
  }

  @AfterEach
  void close(VertxTestContext ctx) {
    traced.close().onComplete(ctx.succeedingThenComplete());
  }

  /** The first finished span called {@code name}, once there is one. */
  private Future<SpanData> finished(String name) {
    return finishedCount(name, 1).map(spans -> spans.get(0));
  }

  @Test
  void theCallersSpanIsTheAncestorOfTheSessionsWhichIsTheParentOfItsStreams(VertxTestContext ctx) {
    Span caller = traced.openTelemetry.getTracer("test").spanBuilder("caller").startSpan();
    Promise<JsonObject> opened = Promise.promise();
    traced.vertx.runOnContext(v -> {
      try (Scope active = caller.makeCurrent()) {
        stack.open(new JsonObject().put("sampleRate", 16000)).onComplete(opened);
      }
    });
    opened.future().compose(session -> stack.audio(session, Fixtures.tone(32_000))
            .compose(r -> stack.control(session, "end"))
            .compose(r -> finished(Tracing.SESSION))
            .map(sessionSpan -> {
              caller.end();
              ctx.verify(() -> {
                SpanData callerSpan = traced.named("caller").get(0);
                assertEquals(callerSpan.getTraceId(), sessionSpan.getTraceId());
                assertTrue(traced.descends(sessionSpan, callerSpan), "the session's span is under the caller's");
                assertEquals(session.getString("sessionId"),
                    sessionSpan.getAttributes().get(AttributeKey.stringKey(Tracing.SESSION_ID)));
                assertEquals(session.getString("node"), sessionSpan.getAttributes().get(AttributeKey.stringKey(Tracing.NODE)));
                assertEquals(16000L, sessionSpan.getAttributes().get(AttributeKey.longKey(Tracing.SAMPLE_RATE)));
                assertEquals(1.0, sessionSpan.getAttributes().get(AttributeKey.doubleKey(Tracing.AUDIO_SECONDS)), 1e-6);
                assertEquals("ended", sessionSpan.getAttributes().get(AttributeKey.stringKey(Tracing.REASON)));
                SpanData stream = traced.named(Tracing.STREAM).get(0);
                assertEquals(sessionSpan.getSpanId(), stream.getParentSpanId());
                SpanData turn = traced.named(Tracing.TURN).get(0);
                assertEquals(stream.getSpanId(), turn.getParentSpanId());
                assertNotNull(turn.getAttributes().get(AttributeKey.doubleKey(Tracing.TRANSCRIPTION_DELAY)));
                for (String value : traced.everyValue()) {
                  for (String secret : List.of(Fixtures.API_KEY, Fixtures.API_SECRET, WORKER_TOKEN, "Bearer")) {
                    assertFalse(value != null && value.contains(secret), "a span holds a secret: " + value);
                  }
                }
              });
              return sessionSpan;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aResumableSessionsRecognizingSessionIsTracedUnderItsFront(VertxTestContext ctx) {
    stack.open(new JsonObject().put("sampleRate", 16000).put("resumable", true))
        .compose(front -> stack.audio(front, Fixtures.tone(32_000)).compose(r -> stack.control(front, "end")))
        .compose(r -> finishedCount(Tracing.SESSION, 2))
        .onComplete(ctx.succeeding(sessions -> ctx.verify(() -> {
          AttributeKey<Boolean> resumable = AttributeKey.booleanKey("stt.resumable");
          SpanData front = sessions.stream().filter(s -> Boolean.TRUE.equals(s.getAttributes().get(resumable)))
              .findFirst().orElseThrow();
          SpanData recognition = sessions.stream().filter(s -> Boolean.FALSE.equals(s.getAttributes().get(resumable)))
              .findFirst().orElseThrow();
          assertTrue(traced.descends(recognition, front), "the recognizing session's span is under the front's");
          ctx.completeNow();
        })));
  }

  /** The finished spans called {@code name}, once there are {@code count} (checked every 20 ms). */
  private Future<List<SpanData>> finishedCount(String name, int count) {
    Promise<List<SpanData>> found = Promise.promise();
    long deadline = System.nanoTime() + 10_000_000_000L;
    traced.vertx.runOnContext(v -> pollCount(name, count, found, deadline));
    return found.future();
  }

  private void pollCount(String name, int count, Promise<List<SpanData>> found, long deadline) {
    List<SpanData> spans = traced.named(name);
    if (spans.size() >= count) {
      found.complete(spans);
    } else if (System.nanoTime() > deadline) {
      found.fail(spans.size() + " " + name + " spans within 10 s, not " + count);
    } else {
      traced.vertx.setTimer(20, t -> pollCount(name, count, found, deadline));
    }
  }
}
