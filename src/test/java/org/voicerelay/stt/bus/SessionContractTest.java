package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/**
 * The session contract, tried from outside against both kinds of session: every case (each action,
 * each malformed body in every accepted encoding, after {@code end}, after {@code close}, during the
 * linger time) gets the same failure code or the same reply fields from a plain and a resumable
 * session, and the one the contract documents. Fields only one kind has ({@code stream}; the
 * resumable ones) are left out of the comparison.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SessionContractTest {

  private static final int LINGER_MS = 1_500;
  private static final Set<String> ONE_KIND_ONLY = Set.of("stream", "frontNode", "resumable", "heldBytes",
      "recognitionSessionId", "resumes", "lostBytes");
  private static final String STATUS_FIELDS = "[audioAddress, audioCodec, audioSecondsReceived, capabilities,"
      + " controlAddress, eventsAddress, lastSeq, node, sampleRate, sessionId, state]";
  private static final String CLOSED_STATUS_FIELDS = "[audioAddress, audioCodec, audioSecondsReceived,"
      + " capabilities, controlAddress, eventsAddress, lastSeq, node, reason, sampleRate, sessionId, state]";
  private static final String SUMMARY_FIELDS = "[audioSeconds, lastSeq, reason, sessionId]";

  private TestStack stack;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(o -> o.setNode("here").setMaxAudioMessageBytes(64_000)
            .setClosedSessionLingerMs(LINGER_MS)).deploy(vertx)
        .onComplete(ctx.succeeding(s -> {
          stack = s;
          ctx.completeNow();
        }));
  }

  /** One request and what came back: the failure code, or the reply's fields (and state, reason). */
  private record Probe(String name, Function<JsonObject, Future<Object>> request) {
  }

  private Future<Object> control(JsonObject session, Object body) {
    return stack.vertx.eventBus().request(session.getString("controlAddress"), body,
        new DeliveryOptions().setSendTimeout(20_000)).map(m -> m.body());
  }

  private Future<Object> audio(JsonObject session, Object body) {
    return stack.vertx.eventBus().request(session.getString("audioAddress"), body).map(m -> m.body());
  }

  private static JsonObject action(String name) {
    return new JsonObject().put("action", name);
  }

  private static String base64(Buffer pcm) {
    return Base64.getEncoder().encodeToString(pcm.getBytes());
  }

  private static String outcome(String name, Object reply, Throwable failure) {
    if (failure != null) {
      return name + " -> " + (failure instanceof ReplyException e ? e.failureCode() : failure.toString());
    }
    if (!(reply instanceof JsonObject json)) {
      return name + " -> " + reply;
    }
    TreeSet<String> fields = new TreeSet<>(json.fieldNames());
    fields.removeAll(ONE_KIND_ONLY);
    String detail = json.containsKey("state") ? " " + json.getString("state") : "";
    detail += json.containsKey("reason") ? " " + json.getString("reason") : "";
    return name + " -> " + fields + detail;
  }

  /** Opens a session of the kind, runs the probes one after the other, and lists their outcomes. */
  private Future<List<String>> run(boolean resumable, List<Probe> probes) {
    return run(new JsonObject().put("resumable", resumable), probes);
  }

  private Future<List<String>> run(JsonObject open, List<Probe> probes) {
    List<String> outcomes = new ArrayList<>();
    return stack.open(open).compose(session -> {
      outcomes.add("open -> capabilities " + session.getJsonObject("capabilities").encode());
      Future<Void> chain = Future.succeededFuture();
      for (Probe probe : probes) {
        chain = chain.compose(v -> probe.request().apply(session).transform(ar -> {
          outcomes.add(outcome(probe.name(), ar.result(), ar.cause()));
          return Future.succeededFuture();
        }));
      }
      return chain.map(v -> outcomes);
    });
  }

  private void bothKindsAnswer(List<Probe> probes, List<String> expected, VertxTestContext ctx) {
    run(false, probes).compose(plain -> run(true, probes).map(resumable -> List.of(plain, resumable)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertEquals(both.get(0), both.get(1), "a plain (first) and a resumable session answer alike");
          assertEquals(expected, both.get(0).subList(1, both.get(0).size()));
          ctx.completeNow();
        })));
  }

  private List<Probe> malformedControl() {
    return List.of(
        new Probe("malformed JSON text", s -> control(s, "{action")),
        new Probe("JSON text that is an array", s -> control(s, "[1]")),
        new Probe("a JSON array", s -> control(s, new JsonArray().add(1))),
        new Probe("a number", s -> control(s, 7)),
        new Probe("no action", s -> control(s, new JsonObject())),
        new Probe("action of the wrong type", s -> control(s, new JsonObject().put("action", 3))),
        new Probe("unknown action", s -> control(s, action("rewind"))),
        new Probe("status as JSON text", s -> control(s, action("status").encode())),
        new Probe("status as a Buffer of JSON", s -> control(s, action("status").toBuffer())));
  }

  private static final List<String> MALFORMED_CONTROL = List.of(
      "malformed JSON text -> 400",
      "JSON text that is an array -> 400",
      "a JSON array -> 400",
      "a number -> 400",
      "no action -> 400",
      "action of the wrong type -> 400",
      "unknown action -> 400",
      "status as JSON text -> " + STATUS_FIELDS + " open",
      "status as a Buffer of JSON -> " + STATUS_FIELDS + " open");

  @Test
  void malformedControlBodiesInEveryEncodingGetTheSameAnswers(VertxTestContext ctx) {
    bothKindsAnswer(malformedControl(), MALFORMED_CONTROL, ctx);
  }

  @Test
  void everyUpdateIsCheckedTheSameWay(VertxTestContext ctx) {
    bothKindsAnswer(List.of(
            new Probe("update without a field", s -> control(s, action("update"))),
            new Probe("update with extra of the wrong type", s -> control(s, action("update").put("extra", "loud"))),
            new Probe("update with a model of the wrong type", s -> control(s, action("update").put("model", 3))),
            new Probe("update with a language of the wrong type",
                s -> control(s, action("update").put("language", List.of("en")))),
            new Probe("update as JSON text", s -> control(s, action("update").put("language", "en").encode())),
            new Probe("update", s -> control(s, action("update").put("extra", new JsonObject().put("k", 1))))),
        List.of(
            "update without a field -> 400",
            "update with extra of the wrong type -> 400",
            "update with a model of the wrong type -> 400",
            "update with a language of the wrong type -> 400",
            "update as JSON text -> [audioAddress, audioCodec, audioSecondsReceived, capabilities, controlAddress,"
                + " eventsAddress, language, lastSeq, node, sampleRate, sessionId, state] open",
            "update -> [audioAddress, audioCodec, audioSecondsReceived, capabilities, controlAddress, eventsAddress,"
                + " language, lastSeq, node, sampleRate, sessionId, state] open"),
        ctx);
  }

  private List<Probe> keytermsAndContext() {
    return List.of(
        new Probe("context without text", s -> control(s, action("context"))),
        new Probe("context with text of the wrong type", s -> control(s, action("context").put("text", 3))),
        new Probe("update with keyterms of the wrong type", s -> control(s, action("update").put("keyterms", "alpha"))),
        new Probe("update with a blank keyterm", s -> control(s, action("update").put("keyterms", new JsonArray().add(" ")))),
        new Probe("update with keyterms", s -> control(s, action("update").put("keyterms", new JsonArray().add("Vert.x")))),
        new Probe("context", s -> control(s, action("context").put("text", "How can I help you today?"))));
  }

  private static List<String> keytermsAndContextAnswers(String model, String context) {
    return List.of(
        "context without text -> 400",
        "context with text of the wrong type -> 400",
        "update with keyterms of the wrong type -> 400",
        "update with a blank keyterm -> 400",
        "update with keyterms -> [audioAddress, audioCodec, audioSecondsReceived, capabilities, controlAddress,"
            + " eventsAddress, lastSeq, model, node, sampleRate, sessionId, state] open",
        "context -> " + context);
  }

  /** Keyterms and agent context on the bus: the same checks for both kinds, and the catalog's verdict per model. */
  private void keytermsAndContextFor(String model, String capabilities, String context, VertxTestContext ctx) {
    JsonObject open = new JsonObject().put("model", model).put("keyterms", new JsonArray().add("LiveKit"))
        .put("roomId", "room-1").put("jobId", "job-1").put("agentId", "agent-1").put("priority", "high");
    run(open.copy().put("resumable", false), keytermsAndContext())
        .compose(plain -> run(open.copy().put("resumable", true), keytermsAndContext())
            .map(resumable -> List.of(plain, resumable)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          assertEquals(both.get(0), both.get(1), "a plain (first) and a resumable session answer alike");
          assertEquals("open -> capabilities " + capabilities, both.get(0).get(0));
          assertEquals(keytermsAndContextAnswers(model, context), both.get(0).subList(1, both.get(0).size()));
          ctx.completeNow();
        })));
  }

  @Test
  void aModelWithoutChatContextTakesKeytermsAndAnswersContextUnsupported(VertxTestContext ctx) {
    keytermsAndContextFor("deepgram/nova-3",
        "{\"wordTimings\":true,\"diarization\":false,\"keyterms\":true,\"chatContext\":false}", "422", ctx);
  }

  /** Capabilities follow a live model change the same way for both kinds. */
  @Test
  void aModelChangeChangesTheCapabilitiesOfBothKinds(VertxTestContext ctx) {
    List<Future<JsonObject>> updates = new ArrayList<>();
    for (boolean resumable : new boolean[] {false, true}) {
      updates.add(stack.open(new JsonObject().put("model", "deepgram/nova-3").put("resumable", resumable))
          .compose(session -> control(session, action("update").put("model", "assemblyai/u3-rt-pro")
              .put("extra", new JsonObject().put("speaker_labels", true))))
          .map(reply -> ((JsonObject) reply).getJsonObject("capabilities")));
    }
    Future.all(updates).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
      JsonObject expected = new JsonObject().put("wordTimings", true).put("diarization", true).put("keyterms", true)
          .put("chatContext", true);
      assertEquals(expected, updates.get(0).result(), "plain");
      assertEquals(expected, updates.get(1).result(), "resumable");
      ctx.completeNow();
    })));
  }

  @Test
  void aModelWithChatContextTakesTheAgentsWords(VertxTestContext ctx) {
    keytermsAndContextFor("assemblyai/u3-rt-pro",
        "{\"wordTimings\":true,\"diarization\":false,\"keyterms\":true,\"chatContext\":true}", "[sessionId]", ctx);
  }

  @Test
  void audioInEveryEncodingAndShapeGetsTheSameAnswers(VertxTestContext ctx) {
    Buffer tone = Fixtures.tone(3_200);
    bothKindsAnswer(List.of(
            new Probe("pcm", s -> audio(s, tone)),
            new Probe("pcm as a byte array", s -> audio(s, tone.getBytes())),
            new Probe("base64", s -> audio(s, new JsonObject().put("audio", base64(tone)))),
            new Probe("base64 as JSON text", s -> audio(s, new JsonObject().put("audio", base64(tone)).encode())),
            new Probe("odd length", s -> audio(s, Buffer.buffer(new byte[321]))),
            new Probe("odd length in base64", s -> audio(s, new JsonObject().put("audio", base64(Buffer.buffer(new byte[3]))))),
            new Probe("not base64", s -> audio(s, new JsonObject().put("audio", "not*base64!"))),
            new Probe("audio of the wrong type", s -> audio(s, new JsonObject().put("audio", 42))),
            new Probe("no audio field", s -> audio(s, new JsonObject().put("pcm", "AAAA"))),
            new Probe("malformed JSON text", s -> audio(s, "{audio")),
            new Probe("a number", s -> audio(s, 7)),
            new Probe("too large", s -> audio(s, Buffer.buffer(new byte[64_002]))),
            new Probe("too large in base64", s -> audio(s, new JsonObject().put("audio", base64(Buffer.buffer(new byte[64_002]))))),
            new Probe("status", s -> control(s, action("status")))),
        List.of(
            "pcm -> [buffered]",
            "pcm as a byte array -> [buffered]",
            "base64 -> [buffered]",
            "base64 as JSON text -> [buffered]",
            "odd length -> 422",
            "odd length in base64 -> 422",
            "not base64 -> 422",
            "audio of the wrong type -> 400",
            "no audio field -> 400",
            "malformed JSON text -> 400",
            "a number -> 400",
            "too large -> 413",
            "too large in base64 -> 413",
            "status -> " + STATUS_FIELDS + " open"),
        ctx);
  }

  @Test
  void afterEndEveryActionGetsTheSameAnswers(VertxTestContext ctx) {
    List<Probe> probes = new ArrayList<>(List.of(
        new Probe("flush", s -> control(s, action("flush"))),
        new Probe("audio", s -> audio(s, Fixtures.tone(3_200))),
        new Probe("end", s -> control(s, action("end"))),
        new Probe("audio after end", s -> audio(s, Fixtures.tone(320))),
        new Probe("flush after end", s -> control(s, action("flush"))),
        new Probe("update after end", s -> control(s, action("update").put("language", "en"))),
        new Probe("status after end", s -> control(s, action("status"))),
        new Probe("end again", s -> control(s, action("end"))),
        new Probe("close after end", s -> control(s, action("close")))));
    probes.addAll(malformedControl());
    List<String> expected = new ArrayList<>(List.of(
        "flush -> [buffered, sessionId]",
        "audio -> [buffered]",
        "end -> " + SUMMARY_FIELDS + " ended",
        "audio after end -> 409",
        "flush after end -> 409",
        "update after end -> 409",
        "status after end -> " + CLOSED_STATUS_FIELDS + " closed ended",
        "end again -> " + SUMMARY_FIELDS + " ended",
        "close after end -> " + SUMMARY_FIELDS + " ended"));
    MALFORMED_CONTROL.forEach(line -> expected.add(line.replace(STATUS_FIELDS + " open",
        CLOSED_STATUS_FIELDS + " closed ended")));
    bothKindsAnswer(probes, expected, ctx);
  }

  @Test
  void afterCloseEveryActionGetsTheSameAnswers(VertxTestContext ctx) {
    bothKindsAnswer(List.of(
            new Probe("close", s -> control(s, action("close"))),
            new Probe("audio after close", s -> audio(s, Fixtures.tone(320))),
            new Probe("flush after close", s -> control(s, action("flush"))),
            new Probe("update after close", s -> control(s, action("update").put("model", "m"))),
            new Probe("status after close", s -> control(s, action("status"))),
            new Probe("end after close", s -> control(s, action("end"))),
            new Probe("close again", s -> control(s, action("close")))),
        List.of(
            "close -> " + SUMMARY_FIELDS + " closed",
            "audio after close -> 410",
            "flush after close -> 410",
            "update after close -> 410",
            "status after close -> " + CLOSED_STATUS_FIELDS + " closed closed",
            "end after close -> " + SUMMARY_FIELDS + " closed",
            "close again -> " + SUMMARY_FIELDS + " closed"),
        ctx);
  }

  @Test
  void afterTheLingerTimeNobodyAnswers(Vertx vertx, VertxTestContext ctx) {
    Function<JsonObject, Future<Object>> later = s -> Future.future(p -> vertx.setTimer(LINGER_MS + 500,
        t -> p.complete())).map(v -> null);
    bothKindsAnswer(List.of(
            new Probe("close", s -> control(s, action("close"))),
            new Probe("wait", later),
            new Probe("audio", s -> audio(s, Fixtures.tone(320))),
            new Probe("status", s -> control(s, action("status")))),
        List.of(
            "close -> " + SUMMARY_FIELDS + " closed",
            "wait -> null",
            "audio -> -1",
            "status -> -1"),
        ctx);
  }

  @Test
  void aRefusedPlainSendBecomesTheSameErrorEvent(Vertx vertx, VertxTestContext ctx) {
    List<JsonObject> errors = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (boolean resumable : new boolean[] {false, true}) {
      String events = "app.contract." + resumable;
      chain = chain.compose(v -> EventRecorder.on(vertx, events).compose(recorder ->
          stack.open(new JsonObject().put("resumable", resumable).put("eventsAddress", events)).compose(session -> {
            vertx.eventBus().send(session.getString("audioAddress"), Buffer.buffer(new byte[3]));
            return recorder.firstOfType("error").map(error -> {
              errors.add(error.copy().put("sessionId", "-").put("seq", 0));
              return null;
            });
          })));
    }
    chain.onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertEquals(errors.get(0), errors.get(1));
      assertEquals(BusErrorCode.INVALID_AUDIO, errors.get(0).getJsonObject("error").getInteger("failureCode"));
      ctx.completeNow();
    })));
  }
}
