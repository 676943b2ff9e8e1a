package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/**
 * The AsyncAPI document tells the truth: what the verticle really sends and accepts matches its
 * schemas, and its enums list exactly the event types, reasons and failure codes of the code.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class AsyncApiContractTest {

  private static final String OPEN = BusContract.openAddress(BusContract.DEFAULT_PREFIX);

  private final ContractSchema contract = ContractSchema.load();
  private final List<String> violations = new ArrayList<>();

  private void expect(String schema, Object value) {
    violations.addAll(contract.violations(schema, value));
  }

  private JsonObject request(String schema, JsonObject value) {
    expect(schema, value);
    return value;
  }

  @Test
  void realRepliesEventsAndAcceptedRequestsMatchTheDocument(Vertx vertx, VertxTestContext ctx) {
    byte[] pcm = Fixtures.tone(32000).getBytes();
    TestStack.builder().deploy(vertx).compose(stack -> EventRecorder.on(vertx, "app.contract").compose(events ->
        stack.open(request("OpenRequest", new JsonObject().put("sampleRate", 16000).put("language", "en")
                .put("model", "deepgram/nova-3").put("extra", new JsonObject().put("punctuate", true))
                .put("fallback", new JsonArray().add("assemblyai/universal-streaming"))
                .put("eventsAddress", "app.contract").put("sessionId", "contract-1")))
            .compose(session -> {
              expect("OpenReply", session);
              vertx.eventBus().send(session.getString("audioAddress"), Buffer.buffer(new byte[1]));
              return stack.audio(session, Buffer.buffer(pcm))
                  .compose(r -> {
                    expect("AudioReply", r);
                    return stack.audio(session, request("AudioJson", new JsonObject().put("audio",
                        Base64.getEncoder().encodeToString(pcm))));
                  })
                  .compose(r -> stack.control(session, request("ControlRequest", new JsonObject().put("action", "flush"))))
                  .compose(r -> {
                    expect("FlushReply", r);
                    return stack.control(session, request("ControlRequest", new JsonObject().put("action", "update")
                        .put("language", "de").put("extra", new JsonObject())));
                  })
                  .compose(r -> {
                    expect("StatusReply", r);
                    return stack.control(session, request("ControlRequest", new JsonObject().put("action", "status")));
                  })
                  .compose(r -> {
                    expect("StatusReply", r);
                    return stack.control(session, request("ControlRequest", new JsonObject().put("action", "end")));
                  })
                  .compose(r -> {
                    expect("EndReply", r);
                    return stack.control(session, "status");
                  })
                  .map(r -> {
                    expect("StatusReply", r);
                    return events;
                  });
            })))
        .onComplete(ctx.succeeding(events -> ctx.verify(() -> {
          Set<String> seen = new HashSet<>();
          for (JsonObject event : events.events) {
            expect("Event", event);
            seen.add(event.getString("type"));
          }
          assertTrue(seen.containsAll(List.of(BusContract.EVENT_ERROR, BusContract.EVENT_START_OF_SPEECH,
              BusContract.EVENT_INTERIM_TRANSCRIPT, BusContract.EVENT_RECOGNITION_USAGE,
              BusContract.EVENT_FINAL_TRANSCRIPT, BusContract.EVENT_END_OF_SPEECH, BusContract.EVENT_CLOSED)),
              seen.toString());
          assertEquals(List.of(), violations);
          ctx.completeNow();
        })));
  }

  @Test
  void realFailureCodesAreTheDocumentedOnes(Vertx vertx, VertxTestContext ctx) {
    Set<Object> documented = new HashSet<>(contract.schema("Failure").getJsonObject("properties")
        .getJsonObject("failureCode").getJsonArray("enum").getList());
    TestStack.builder().verticle(o -> o.setMaxSessions(1)).deploy(vertx).compose(stack -> stack.open(new JsonObject())
            .compose(session -> Fixtures.failureCodes(
                vertx.eventBus().request(OPEN, "{"),
                vertx.eventBus().request(OPEN, new JsonObject().put("eventsAddress", "x")),
                vertx.eventBus().request(OPEN, new JsonObject()),
                stack.audio(session, Buffer.buffer(new byte[3])),
                stack.audio(session, Buffer.buffer(new byte[300_000])),
                stack.control(session, "end").compose(r -> stack.audio(session, Buffer.buffer(new byte[2]))))))
        .onComplete(ctx.succeeding(codes -> ctx.verify(() -> {
          assertEquals(List.of(400, 403, 429, 422, 413, 409), codes);
          assertTrue(documented.containsAll(codes), codes.toString());
          ctx.completeNow();
        })));
  }

  @Test
  void theDocumentsEnumsAreExactlyTheCodes() {
    assertEquals(new TreeSet<>(BusErrorCode.all().keySet()), new TreeSet<>(contract.schema("Failure")
        .getJsonObject("properties").getJsonObject("failureCode").getJsonArray("enum").getList()));
    Set<String> documentedNames = new TreeSet<>();
    contract.schema("Failure").getJsonObject("x-failure-codes").forEach(e ->
        documentedNames.add(e.getKey() + " " + ((String) e.getValue()).split(":")[0]));
    Set<String> codeNames = new TreeSet<>();
    BusErrorCode.all().forEach((code, name) -> codeNames.add(code + " " + name));
    assertEquals(codeNames, documentedNames);
    assertEquals(new TreeSet<>(BusContract.EVENT_TYPES), new TreeSet<>(contract.schema("Event").getJsonObject("properties")
        .getJsonObject("type").getJsonArray("enum").getList()));
    assertEquals(new TreeSet<>(BusContract.REASONS),
        new TreeSet<>(contract.schema("ClosedReason").getJsonArray("enum").getList()));
    assertEquals(new TreeSet<>(BusContract.ACTIONS), new TreeSet<>(contract.schema("ControlRequest")
        .getJsonObject("properties").getJsonObject("action").getJsonArray("enum").getList()));
  }

  @Test
  void theContractsEventTypesAreTheClientsWireNamesPlusClosedAndRecognitionMoved() {
    List<String> types = new ArrayList<>(Arrays.stream(SpeechEventType.values()).map(SpeechEventType::wireName).toList());
    types.add(BusContract.EVENT_CLOSED);
    types.add(BusContract.EVENT_RECOGNITION_MOVED);
    assertEquals(new TreeSet<>(types), new TreeSet<>(BusContract.EVENT_TYPES));
  }
}
