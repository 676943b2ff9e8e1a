package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** How each gateway message becomes stream events. */
class SpeechStreamEventsTest extends OnScriptedGateway {

  /** Plays {@code script} once the session is created, then ends the stream; collects events. */
  private void play(Vertx vertx, VertxTestContext ctx, Consumer<ScriptedGateway.Connection> script,
      Consumer<List<SpeechEvent>> check) {
    java.util.concurrent.atomic.AtomicBoolean played = new java.util.concurrent.atomic.AtomicBoolean();
    gateway.onFrame = (c, f) -> {
      if ("session.create".equals(f.getString("type"))) {
        c.send(new JsonObject().put("type", "session.created").put("session_id", "gw"));
      } else if ("input_audio".equals(f.getString("type")) && played.compareAndSet(false, true)) {
        script.accept(c); // once audio is on the wire, so that its usage is counted before any final
      } else if ("session.finalize".equals(f.getString("type"))) {
        c.send(new JsonObject().put("type", "session.finalized"));
      } else if ("session.close".equals(f.getString("type"))) {
        c.send(new JsonObject().put("type", "session.closed"));
        c.socket.close();
      }
    };
    SttClient client = SttClient.create(vertx, gateway.options().setLanguage("de"));
    SpeechStream stream = client.stream();
    List<SpeechEvent> events = new CopyOnWriteArrayList<>();
    stream.handler(events::add);
    stream.endHandler(v -> ctx.verify(() -> {
      check.accept(events);
      ctx.completeNow();
    }));
    stream.write(Buffer.buffer(new byte[3200]));
    vertx.setTimer(200, t -> stream.end());
  }

  /**
   * The speech events alone: whether a usage event comes before a final depends on whether the
   * audio was on the wire before the gateway's reply, a race these tests do not script.
   */
  private static List<SpeechEventType> speechTypes(List<SpeechEvent> events) {
    return types(events).stream().filter(t -> t != SpeechEventType.RECOGNITION_USAGE).toList();
  }

  private static List<SpeechEventType> types(List<SpeechEvent> events) {
    return events.stream().map(SpeechEvent::type).toList();
  }

  @Test
  void aFinalTranscriptBringsUsageThenFinalThenEndOfSpeech(Vertx vertx, VertxTestContext ctx) {
    play(vertx, ctx, c -> {
      c.send(new JsonObject().put("type", "interim_transcript").put("transcript", "hello")
          .put("start", 0.1).put("duration", 0.2));
      c.send(new JsonObject().put("type", "final_transcript").put("transcript", "hello world")
          .put("start", 0.1).put("duration", 0.5).put("confidence", 0.8).put("language", "en")
          .put("speaker_id", "S1").put("extra", new JsonObject().put("provider", "x"))
          .put("words", new JsonArray().add(new JsonObject().put("word", "hello").put("start", 0.1)
              .put("end", 0.3).put("confidence", 0.9))));
    }, events -> {
      assertEquals(List.of(SpeechEventType.START_OF_SPEECH, SpeechEventType.INTERIM_TRANSCRIPT,
          SpeechEventType.RECOGNITION_USAGE, SpeechEventType.FINAL_TRANSCRIPT,
          SpeechEventType.END_OF_SPEECH), types(events));
      assertEquals(0.1, events.get(2).audioDuration(), 1e-9, "usage is the audio sent: 100 ms");
      SpeechData fin = events.get(3).alternatives().get(0);
      assertEquals("hello world", fin.text());
      assertEquals(0.1, fin.startTime(), 1e-9);
      assertEquals(0.6, fin.endTime(), 1e-9, "end = start + duration");
      assertEquals(0.8, fin.confidence(), 1e-9);
      assertEquals("en", fin.language());
      assertEquals("S1", fin.speakerId());
      assertEquals("x", fin.metadata().getString("provider"));
      assertEquals("hello", fin.words().get(0).text());
      assertEquals(0.3, fin.words().get(0).endTime(), 1e-9);
      assertEquals(events.get(3).requestId(), events.get(1).requestId());
    });
  }

  @Test
  void absentFieldsTakeTheProtocolDefaults(Vertx vertx, VertxTestContext ctx) {
    play(vertx, ctx, c -> c.send(new JsonObject().put("type", "final_transcript")
        .put("transcript", "guten tag")), events -> {
          SpeechEvent fin = events.stream().filter(e -> e.type() == SpeechEventType.FINAL_TRANSCRIPT)
              .findFirst().orElseThrow();
          SpeechData d = fin.alternatives().get(0);
          assertEquals("de", d.language(), "the session language");
          assertEquals(1.0, d.confidence(), 1e-9);
          assertEquals(0.0, d.startTime(), 1e-9);
          assertEquals(gateway.connection(0).headers.get("X-LiveKit-Session-ID"), fin.requestId(),
              "the connection's own session id");
          assertTrue(d.words().isEmpty());
          assertNull(d.metadata());
        });
  }

  @Test
  void anEmptyFinalOutsideSpeechBecomesStartFinalEndAsLiveKitsClientsMakeIt(Vertx vertx, VertxTestContext ctx) {
    play(vertx, ctx, c -> c.send(new JsonObject().put("type", "final_transcript").put("transcript", "")),
        events -> {
          assertEquals(List.of(SpeechEventType.START_OF_SPEECH, SpeechEventType.FINAL_TRANSCRIPT,
              SpeechEventType.END_OF_SPEECH), speechTypes(events));
          assertEquals("", events.stream().filter(e -> e.type() == SpeechEventType.FINAL_TRANSCRIPT)
              .findFirst().orElseThrow().text());
        });
  }

  @Test
  void anEmptyFinalInsideSpeechEndsItWithoutASecondStart(Vertx vertx, VertxTestContext ctx) {
    play(vertx, ctx, c -> {
      c.send(new JsonObject().put("type", "start_of_speech"));
      c.send(new JsonObject().put("type", "final_transcript").put("transcript", ""));
    }, events -> assertEquals(List.of(SpeechEventType.START_OF_SPEECH, SpeechEventType.FINAL_TRANSCRIPT,
        SpeechEventType.END_OF_SPEECH), speechTypes(events)));
  }

  @Test
  void aWordsExtraIsPassedThroughAsTheGatewaySentIt(Vertx vertx, VertxTestContext ctx) {
    play(vertx, ctx, c -> c.send(new JsonObject().put("type", "final_transcript").put("transcript", "hi there")
        .put("words", new JsonArray()
            .add(new JsonObject().put("word", "hi").put("start", 0.0).put("end", 0.2)
                .put("extra", new JsonObject().put("punctuated_word", "Hi").put("phonemes", new JsonArray().add("h"))))
            .add(new JsonObject().put("word", "there").put("start", 0.2).put("end", 0.5)))), events -> {
              SpeechData fin = events.stream().filter(e -> e.type() == SpeechEventType.FINAL_TRANSCRIPT)
                  .findFirst().orElseThrow().alternatives().get(0);
              TimedWord hi = fin.words().get(0);
              assertEquals(new JsonObject().put("punctuated_word", "Hi").put("phonemes", new JsonArray().add("h")),
                  hi.extra());
              assertEquals("Hi", hi.toJson().getJsonObject("extra").getString("punctuated_word"));
              assertEquals(hi, TimedWord.fromJson(hi.toJson()), "the event-bus form keeps it");
              assertNull(fin.words().get(1).extra(), "no extra sent, none made up");
              assertTrue(!fin.words().get(1).toJson().containsKey("extra"));
            });
  }

  @Test
  void emptyInterimsAreSkippedAndStartOfSpeechComesOnce(Vertx vertx, VertxTestContext ctx) {
    play(vertx, ctx, c -> {
      c.send(new JsonObject().put("type", "interim_transcript").put("transcript", ""));
      c.send(new JsonObject().put("type", "start_of_speech"));
      c.send(new JsonObject().put("type", "interim_transcript").put("transcript", "a"));
      c.send(new JsonObject().put("type", "preflight_transcript").put("transcript", "a b"));
    }, events -> assertEquals(List.of(SpeechEventType.START_OF_SPEECH,
        SpeechEventType.INTERIM_TRANSCRIPT, SpeechEventType.PREFLIGHT_TRANSCRIPT), types(events)));
  }

  @Test
  void aPreflightTranscriptBeforeSpeechStartedEmitsNoStartOfSpeechOfItsOwn(Vertx vertx, VertxTestContext ctx) {
    play(vertx, ctx, c -> c.send(new JsonObject().put("type", "preflight_transcript").put("transcript", "a b")),
        events -> assertEquals(List.of(), types(events), "not speaking: the preflight is not news"));
  }

  @Test
  void unknownTypesAndBinaryFramesAreSkippedAndTheStreamGoesOn(Vertx vertx, VertxTestContext ctx) {
    play(vertx, ctx, c -> {
      c.send(new JsonObject().put("type", "provider.telemetry").put("x", 1));
      c.socket.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3}));
      c.send(new JsonObject().put("type", "final_transcript").put("transcript", "still here"));
    }, events -> {
      assertTrue(events.stream().anyMatch(e -> e.text().equals("still here")));
      assertTrue(events.stream().noneMatch(e -> e.type() == SpeechEventType.ERROR));
      assertEquals(1, gateway.connections.size(), "no reconnect");
    });
  }

  @Test
  void garbageFromTheGatewayIsReportedAsAProtocolErrorAndTheStreamGoesOn(Vertx vertx,
      VertxTestContext ctx) {
    play(vertx, ctx, c -> {
      c.socket.writeTextMessage("this is not json {");
      c.socket.writeTextMessage("[1,2,3]");
      c.send(new JsonObject().put("type", "final_transcript").put("transcript", "fine"));
    }, events -> {
      List<SpeechEvent> errors = events.stream().filter(e -> e.type() == SpeechEventType.ERROR).toList();
      assertEquals(2, errors.size());
      assertEquals("protocol_error", errors.get(0).error().code());
      assertTrue(events.stream().anyMatch(e -> e.text().equals("fine")));
      assertEquals(1, gateway.connections.size(), "garbage does not cost a reconnect");
    });
  }

  @Test
  void anInactivityErrorFromTheGatewayEndsTheStreamWithoutRetry(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if ("session.create".equals(f.getString("type"))) {
        c.send(new JsonObject().put("type", "error").put("code", 2007).put("message", "idle"));
      }
    };
    SttClient client = SttClient.create(vertx, gateway.options());
    SpeechStream stream = client.stream();
    List<SpeechEvent> events = new CopyOnWriteArrayList<>();
    stream.handler(events::add);
    stream.exceptionHandler(err -> ctx.verify(() -> {
      assertEquals(SttErrorCode.INACTIVE_SESSION, ((SttException) err).code());
      assertEquals(1, gateway.connections.size());
      assertEquals("inactive_session", events.get(0).error().code());
      assertEquals(false, events.get(0).error().retryable());
      ctx.completeNow();
    }));
  }
}
