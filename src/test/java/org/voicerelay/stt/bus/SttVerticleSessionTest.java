package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/** A session's life through the bus only: open, audio, transcripts, flush, update, end, close, status. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SttVerticleSessionTest {

  private TestStack stack;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().deploy(vertx).onComplete(ctx.succeeding(s -> {
      stack = s;
      ctx.completeNow();
    }));
  }

  @Test
  void openRepliesWithTheSessionsAddressesAndNode(VertxTestContext ctx) {
    stack.open(new JsonObject().put("sampleRate", 16000)).onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
      String id = reply.getString("sessionId");
      assertEquals("stt.session." + id + ".audio", reply.getString("audioAddress"));
      assertEquals("stt.session." + id + ".control", reply.getString("controlAddress"));
      assertEquals("stt.session." + id + ".events", reply.getString("eventsAddress"));
      assertTrue(reply.getString("node").length() > 0);
      ctx.completeNow();
    })));
  }

  @Test
  void aStreamedRecordingYieldsInterimsThenTheFinalTranscriptThenClosed(Vertx vertx, VertxTestContext ctx) {
    WavFile wav = Fixtures.sample("slt-16k-mono.wav");
    EventRecorder.on(vertx, "app.test.flow").compose(events ->
        stack.open(new JsonObject().put("sampleRate", wav.sampleRate()).put("eventsAddress", "app.test.flow"))
            .compose(session -> stack.stream(session, wav.pcm(), 3200, 4)
                .compose(v -> stack.control(session, "end")))
            .compose(endReply -> events.closed().map(closed -> {
              ctx.verify(() -> {
                List<String> types = events.types();
                assertTrue(types.contains("interim_transcript"), types.toString());
                assertEquals("closed", types.get(types.size() - 1));
                for (int i = 0; i < events.events.size(); i++) {
                  assertEquals(i + 1, events.events.get(i).getLong("seq"));
                }
                List<JsonObject> finals = events.ofType("final_transcript");
                assertEquals(1, finals.size());
                String text = finals.get(0).getJsonArray("alternatives").getJsonObject(0).getString("text");
                assertTrue(text.endsWith("bytes " + wav.pcm().length), text);
                assertTrue(types.indexOf("interim_transcript") < types.indexOf("final_transcript"));
                assertEquals("ended", closed.getString("reason"));
                assertEquals(wav.durationSeconds(), endReply.getDouble("audioSeconds"), 0.01);
              });
              return closed;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void flushDeliversAFinalTranscriptAndTheSessionGoesOn(Vertx vertx, VertxTestContext ctx) {
    EventRecorder.on(vertx, "app.test.flush").compose(events ->
        stack.open(new JsonObject().put("eventsAddress", "app.test.flush"))
            .compose(session -> stack.audio(session, Fixtures.tone(16000))
                .compose(r -> stack.control(session, "flush"))
                .compose(r -> events.firstOfType("final_transcript"))
                .compose(first -> stack.audio(session, Fixtures.tone(8000)))
                .compose(r -> stack.control(session, "flush"))
                .compose(r -> events.first(e -> "final_transcript".equals(e.getString("type"))
                    && e.getLong("seq") > events.ofType("final_transcript").get(0).getLong("seq"))))
            .map(second -> {
              ctx.verify(() -> {
                String text = second.getJsonArray("alternatives").getJsonObject(0).getString("text");
                assertTrue(text.endsWith("bytes 8000"), text);
                assertFalse(events.types().contains("closed"));
              });
              return second;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void updateChangesModelAndLanguageOfTheLiveSession(Vertx vertx, VertxTestContext ctx) {
    stack.open(new JsonObject().put("language", "en"))
        .compose(session -> stack.control(session, new JsonObject().put("action", "update")
                .put("model", "deepgram/nova-3").put("language", "fr").put("extra", new JsonObject().put("punctuate", true)))
            .compose(updated -> stack.control(session, "status")))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertEquals("deepgram/nova-3", status.getString("model"));
          assertEquals("fr", status.getString("language"));
          assertEquals("open", status.getString("state"));
          ctx.completeNow();
        })));
  }

  @Test
  void endRepliesOnlyAfterTheClosedEventWasPublished(Vertx vertx, VertxTestContext ctx) {
    EventRecorder.on(vertx, "app.test.end").compose(events ->
        stack.open(new JsonObject().put("eventsAddress", "app.test.end"))
            .compose(session -> stack.audio(session, Fixtures.tone(32000))
                .compose(r -> stack.control(session, "end")))
            .map(reply -> {
              ctx.verify(() -> {
                assertEquals("closed", events.types().get(events.types().size() - 1));
                assertEquals(1, events.ofType("final_transcript").size());
                assertEquals(1.0, reply.getDouble("audioSeconds"), 1e-9);
                assertEquals("ended", reply.getString("reason"));
                assertEquals(events.events.size(), reply.getLong("lastSeq"));
              });
              return reply;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void closeAbortsTheSessionAndClosedIsItsLastEvent(Vertx vertx, VertxTestContext ctx) {
    EventRecorder.on(vertx, "app.test.close").compose(events ->
        stack.open(new JsonObject().put("eventsAddress", "app.test.close"))
            .compose(session -> stack.audio(session, Fixtures.tone(3200))
                .compose(r -> stack.control(session, "close")))
            .compose(reply -> events.closed().map(closed -> {
              ctx.verify(() -> {
                assertEquals("closed", reply.getString("reason"));
                assertEquals("closed", closed.getString("reason"));
                assertEquals(events.events.size(), closed.getLong("seq"));
              });
              return closed;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void statusReportsStateRateAndAudioReceived(VertxTestContext ctx) {
    stack.open(new JsonObject().put("sampleRate", 8000))
        .compose(session -> stack.audio(session, Fixtures.tone(8000))
            .compose(r -> stack.control(session, "status")))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertEquals("open", status.getString("state"));
          assertEquals(8000, status.getInteger("sampleRate"));
          assertEquals(0.5, status.getDouble("audioSecondsReceived"), 1e-9);
          assertTrue(status.getJsonObject("stream").containsKey("bufferedBytes"));
          ctx.completeNow();
        })));
  }

  @Test
  void twoListenersOnOneEventsAddressBothReceiveEveryEvent(Vertx vertx, VertxTestContext ctx) {
    Future.all(EventRecorder.on(vertx, "app.test.shared"), EventRecorder.on(vertx, "app.test.shared"))
        .compose(both -> {
          EventRecorder a = both.resultAt(0);
          EventRecorder b = both.resultAt(1);
          return stack.open(new JsonObject().put("eventsAddress", "app.test.shared"))
              .compose(session -> stack.audio(session, Fixtures.tone(48000))
                  .compose(r -> stack.control(session, "end")))
              .compose(r -> Future.all(a.closed(), b.closed()))
              .map(v -> {
                ctx.verify(() -> {
                  assertTrue(a.events.size() >= 4, a.types().toString());
                  assertEquals(a.events, b.events);
                });
                return v;
              });
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void openingTheSameSessionIdTwiceGivesTheSameSession(VertxTestContext ctx) {
    JsonObject request = new JsonObject().put("sessionId", "same-id-1");
    Future.all(stack.open(request), stack.open(request))
        .compose(both -> stack.open(request).map(third -> {
          ctx.verify(() -> {
            assertEquals(both.<JsonObject>resultAt(0), both.<JsonObject>resultAt(1));
            assertEquals(both.<JsonObject>resultAt(0), third);
            assertEquals("same-id-1", third.getString("sessionId"));
          });
          return third;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void twoOpensWithoutSessionIdGiveTwoSessions(VertxTestContext ctx) {
    Future.all(stack.open(new JsonObject()), stack.open(new JsonObject()))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertNotEquals(both.<JsonObject>resultAt(0).getString("sessionId"),
              both.<JsonObject>resultAt(1).getString("sessionId"));
          ctx.completeNow();
        })));
  }

  @Test
  void base64AudioInJsonCountsLikeBinaryAudio(Vertx vertx, VertxTestContext ctx) {
    byte[] pcm = Fixtures.tone(6400).getBytes();
    EventRecorder.on(vertx, "app.test.base64").compose(events ->
        stack.open(new JsonObject().put("eventsAddress", "app.test.base64"))
            .compose(session -> stack.audio(session, new JsonObject().put("audio", Base64.getEncoder().encodeToString(pcm)))
                .compose(r -> stack.control(session, "end")))
            .compose(r -> events.firstOfType("final_transcript")))
        .onComplete(ctx.succeeding(fin -> ctx.verify(() -> {
          assertTrue(fin.getJsonArray("alternatives").getJsonObject(0).getString("text").endsWith("bytes 6400"));
          ctx.completeNow();
        })));
  }

  @Test
  void requestReplyAudioIsAnsweredWithTheBufferedBytes(VertxTestContext ctx) {
    stack.open(new JsonObject())
        .compose(session -> stack.audio(session, Fixtures.tone(3200)))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertTrue(reply.getLong("buffered") >= 0);
          ctx.completeNow();
        })));
  }

  @Test
  void audioAtAnotherRateIsResampledToTheSessionRate(Vertx vertx, VertxTestContext ctx) {
    EventRecorder.on(vertx, "app.test.rate").compose(events ->
        stack.open(new JsonObject().put("sampleRate", 48000).put("eventsAddress", "app.test.rate"))
            .compose(session -> stack.audio(session, Fixtures.tone(96000))
                .compose(r -> stack.control(session, "end")))
            .compose(r -> events.firstOfType("final_transcript")))
        .onComplete(ctx.succeeding(fin -> ctx.verify(() -> {
          String text = fin.getJsonArray("alternatives").getJsonObject(0).getString("text");
          long bytes = Long.parseLong(text.substring(text.lastIndexOf(' ') + 1));
          assertEquals(32000, bytes, 64, text);
          ctx.completeNow();
        })));
  }

  @Test
  void aSilentSessionEndsAfterTheIdleTimeout(Vertx vertx, VertxTestContext ctx) {
    stack.undeploy()
        .compose(v -> TestStack.builder().verticle(o -> o.setIdleTimeoutMs(300)).deploy(vertx))
        .compose(idle -> EventRecorder.on(vertx, "app.test.idle").compose(events ->
            idle.open(new JsonObject().put("eventsAddress", "app.test.idle"))
                .compose(session -> events.closed())))
        .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
          assertEquals("idle_timeout", closed.getString("reason"));
          ctx.completeNow();
        })));
  }
}
