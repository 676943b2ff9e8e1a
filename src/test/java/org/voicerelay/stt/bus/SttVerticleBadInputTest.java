package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/** Every kind of bad input gets its documented failure code, and hurts nothing else. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SttVerticleBadInputTest {

  private TestStack stack;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(o -> o.setMaxSessions(3).setMaxAudioMessageBytes(64_000)
        .setMaxBufferedBytes(48_000)).deploy(vertx).onComplete(ctx.succeeding(s -> {
          stack = s;
          ctx.completeNow();
        }));
  }

  private static void assertCode(int expected, Throwable failure) {
    assertTrue(failure instanceof ReplyException, String.valueOf(failure));
    assertEquals(expected, ((ReplyException) failure).failureCode(), failure.getMessage());
  }

  private Future<Object> openWith(Object body) {
    return stack.vertx.eventBus().request("stt.open", body).map(m -> m.body());
  }

  @Test
  void openWithMalformedJsonIsABadRequest(VertxTestContext ctx) {
    openWith("{\"model\": ").onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertCode(BusErrorCode.BAD_REQUEST, err);
      ctx.completeNow();
    })));
  }

  @Test
  void openWithABodyThatIsNotAnObjectIsABadRequest(VertxTestContext ctx) {
    openWith(new JsonArray().add(1)).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertCode(BusErrorCode.BAD_REQUEST, err);
      ctx.completeNow();
    })));
  }

  @Test
  void openWithASampleRateOfTheWrongTypeIsABadRequest(VertxTestContext ctx) {
    openWith(new JsonObject().put("sampleRate", "16000")).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertCode(BusErrorCode.BAD_REQUEST, err);
      assertTrue(err.getMessage().contains("sampleRate"), err.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void openWithASessionIdThatCannotBeAnAddressIsABadRequest(VertxTestContext ctx) {
    openWith(new JsonObject().put("sessionId", "a.b")).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertCode(BusErrorCode.BAD_REQUEST, err);
      ctx.completeNow();
    })));
  }

  @Test
  void anEventsAddressOutsideTheAllowedPrefixesIsForbidden(VertxTestContext ctx) {
    openWith(new JsonObject().put("eventsAddress", "billing.invoices")).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertCode(BusErrorCode.FORBIDDEN_EVENTS_ADDRESS, err);
      ctx.completeNow();
    })));
  }

  @Test
  void anEventsAddressOfTheContractIsForbidden(VertxTestContext ctx) {
    Fixtures.failureCodes(openWith(new JsonObject().put("eventsAddress", "stt.open")),
            openWith(new JsonObject().put("eventsAddress", "stt.session.other.audio")),
            openWith(new JsonObject().put("eventsAddress", "stt.session.other.events")))
        .onComplete(ctx.succeeding(codes -> ctx.verify(() -> {
          assertEquals(List.of(403, 403, 403), codes);
          ctx.completeNow();
        })));
  }

  @Test
  void openingMoreThanMaxSessionsIsRefusedAsTooMany(VertxTestContext ctx) {
    Future.all(stack.open(new JsonObject()), stack.open(new JsonObject()), stack.open(new JsonObject()))
        .compose(three -> stack.open(new JsonObject()))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertCode(BusErrorCode.TOO_MANY_SESSIONS, err);
          ctx.completeNow();
        })));
  }

  @Test
  void aClosedSessionGivesItsSlotBack(VertxTestContext ctx) {
    Future.all(stack.open(new JsonObject()), stack.open(new JsonObject()), stack.open(new JsonObject()))
        .compose(three -> stack.control(three.resultAt(0), "close"))
        .compose(closed -> stack.open(new JsonObject()))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void oddLengthPcmIsInvalidAudio(VertxTestContext ctx) {
    stack.open(new JsonObject())
        .compose(session -> stack.audio(session, Buffer.buffer(new byte[321])))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertCode(BusErrorCode.INVALID_AUDIO, err);
          ctx.completeNow();
        })));
  }

  @Test
  void audioThatIsNotBase64IsInvalidAudio(VertxTestContext ctx) {
    stack.open(new JsonObject())
        .compose(session -> stack.audio(session, new JsonObject().put("audio", "not*base64!")))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertCode(BusErrorCode.INVALID_AUDIO, err);
          ctx.completeNow();
        })));
  }

  @Test
  void anAudioMessageOfTheWrongShapeIsABadRequest(VertxTestContext ctx) {
    stack.open(new JsonObject())
        .compose(session -> Fixtures.failureCodes(stack.audio(session, new JsonObject().put("audio", 42)),
            stack.audio(session, new JsonObject().put("pcm", "AAAA")), stack.audio(session, 7)))
        .onComplete(ctx.succeeding(codes -> ctx.verify(() -> {
          assertEquals(List.of(400, 400, 400), codes);
          ctx.completeNow();
        })));
  }

  @Test
  void anAudioMessageAboveTheLimitIsTooLarge(VertxTestContext ctx) {
    stack.open(new JsonObject())
        .compose(session -> stack.audio(session, Buffer.buffer(new byte[64_002])))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertCode(BusErrorCode.AUDIO_TOO_LARGE, err);
          ctx.completeNow();
        })));
  }

  @Test
  void audioBeyondTheSessionBufferIsRefusedAsBufferFull(VertxTestContext ctx) {
    stack.open(new JsonObject())
        .compose(session -> stack.audio(session, Buffer.buffer(new byte[50_000])))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertCode(BusErrorCode.BUFFER_FULL, err);
          ctx.completeNow();
        })));
  }

  @Test
  void audioAfterEndIsRefusedAsInputEnded(VertxTestContext ctx) {
    stack.open(new JsonObject())
        .compose(session -> stack.control(session, "end").compose(r -> stack.audio(session, Fixtures.tone(320))))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertCode(BusErrorCode.INPUT_ENDED, err);
          ctx.completeNow();
        })));
  }

  @Test
  void audioRightAfterTheEndRequestIsRefusedAsInputEnded(VertxTestContext ctx) {
    stack.open(new JsonObject())
        .compose(session -> {
          stack.control(session, "end");
          return stack.audio(session, Fixtures.tone(320));
        })
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertCode(BusErrorCode.INPUT_ENDED, err);
          ctx.completeNow();
        })));
  }

  @Test
  void controlOfAClosedSessionIsRefusedAsSessionClosed(VertxTestContext ctx) {
    stack.open(new JsonObject())
        .compose(session -> stack.control(session, "close").compose(r -> stack.control(session, "flush")))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertCode(BusErrorCode.SESSION_CLOSED, err);
          ctx.completeNow();
        })));
  }

  @Test
  void reopeningTheIdOfAClosedSessionIsRefusedAsSessionClosed(VertxTestContext ctx) {
    JsonObject request = new JsonObject().put("sessionId", "reopen-me");
    stack.open(request)
        .compose(session -> stack.control(session, "close"))
        .compose(r -> stack.open(request))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertCode(BusErrorCode.SESSION_CLOSED, err);
          ctx.completeNow();
        })));
  }

  @Test
  void anUnknownSessionHasNoHandlers(VertxTestContext ctx) {
    stack.audio(new JsonObject().put("audioAddress", "stt.session.nobody.audio"), Fixtures.tone(320))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertEquals(ReplyFailure.NO_HANDLERS, ((ReplyException) err).failureType());
          ctx.completeNow();
        })));
  }

  @Test
  void aControlMessageWithoutAKnownActionIsABadRequest(VertxTestContext ctx) {
    stack.open(new JsonObject())
        .compose(session -> Fixtures.failureCodes(stack.control(session, "rewind"),
            stack.control(session, new JsonObject()),
            stack.control(session, new JsonObject().put("action", 3))))
        .onComplete(ctx.succeeding(codes -> ctx.verify(() -> {
          assertEquals(List.of(400, 400, 400), codes);
          ctx.completeNow();
        })));
  }

  @Test
  void malformedJsonOnTheControlAddressIsABadRequest(VertxTestContext ctx) {
    stack.open(new JsonObject())
        .compose(session -> stack.vertx.eventBus().request(session.getString("controlAddress"), "{action"))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertCode(BusErrorCode.BAD_REQUEST, err);
          ctx.completeNow();
        })));
  }

  @Test
  void anUpdateWithAFieldOfTheWrongTypeIsABadRequest(VertxTestContext ctx) {
    stack.open(new JsonObject())
        .compose(session -> stack.control(session, new JsonObject().put("action", "update").put("extra", "loud")))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertCode(BusErrorCode.BAD_REQUEST, err);
          ctx.completeNow();
        })));
  }

  @Test
  void badAudioSentWithoutReplyBecomesAnErrorEventAndTheSessionGoesOn(Vertx vertx, VertxTestContext ctx) {
    EventRecorder.on(vertx, "app.test.bad").compose(events ->
        stack.open(new JsonObject().put("eventsAddress", "app.test.bad"))
            .compose(session -> {
              vertx.eventBus().send(session.getString("audioAddress"), Buffer.buffer(new byte[3]));
              return events.firstOfType("error")
                  .compose(error -> stack.audio(session, Fixtures.tone(3200)))
                  .compose(r -> stack.control(session, "end"))
                  .compose(r -> events.closed());
            })
            .map(closed -> {
              ctx.verify(() -> {
                JsonObject error = events.ofType("error").get(0).getJsonObject("error");
                assertEquals("invalid_audio", error.getString("code"));
                assertEquals(BusErrorCode.INVALID_AUDIO, error.getInteger("failureCode"));
                assertEquals("ended", closed.getString("reason"));
                assertEquals(1, events.ofType("final_transcript").size());
              });
              return closed;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aSessionKeepsWorkingWhileAnotherGetsEveryKindOfBadInput(Vertx vertx, VertxTestContext ctx) {
    EventRecorder.on(vertx, "app.test.good").compose(events ->
        Future.all(stack.open(new JsonObject().put("eventsAddress", "app.test.good")), stack.open(new JsonObject()))
            .compose(both -> {
              JsonObject good = both.resultAt(0);
              JsonObject bad = both.resultAt(1);
              return Fixtures.failureCodes(
                      stack.audio(bad, Buffer.buffer(new byte[5])),
                      stack.audio(bad, "garbage"),
                      stack.audio(bad, Buffer.buffer(new byte[100_000])),
                      stack.control(bad, "dance"),
                      openWith("nonsense"),
                      openWith(new JsonObject().put("eventsAddress", "x.y")))
                  .compose(codes -> {
                    ctx.verify(() -> assertEquals(List.of(422, 400, 413, 400, 400, 403), codes));
                    return stack.audio(good, Fixtures.tone(16000));
                  })
                  .compose(r -> stack.control(good, "end"))
                  .compose(r -> events.closed());
            }))
        .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
          assertEquals("ended", closed.getString("reason"));
          ctx.completeNow();
        })));
  }
}
