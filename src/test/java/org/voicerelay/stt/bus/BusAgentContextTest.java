package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.Fixtures;

/**
 * The bus's {@code context} and {@code update} actions reach the gateway as LiveKit's clients send
 * them: the agent's latest reply only, and every {@code extra} change with the session's keyterms
 * merged in again. A recording gateway keeps each {@code session.update} it receives.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class BusAgentContextTest {

  private final List<JsonObject> updates = new CopyOnWriteArrayList<>();
  private final Promise<Void> created = Promise.promise();
  private String control;

  @BeforeEach
  void openAU3ProSessionWithKeyterms(Vertx vertx, VertxTestContext ctx) {
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> request.toWebSocket().onSuccess(ws -> ws.textMessageHandler(text -> {
          JsonObject frame = new JsonObject(text);
          if ("session.create".equals(frame.getString("type"))) {
            ws.writeTextMessage(new JsonObject().put("type", "session.created").encode());
            created.tryComplete();
          } else if ("session.update".equals(frame.getString("type"))) {
            updates.add(frame.getJsonObject("settings").getJsonObject("extra"));
          }
        })))
        .listen()
        .compose(server -> vertx.deployVerticle(new SttVerticle(new SttVerticleOptions()
            .setClient(Fixtures.clientOptions(server.actualPort())).setAdmission(Fixtures.relaxedAdmission()))))
        .compose(id -> vertx.eventBus().<JsonObject>request("stt.open", new JsonObject()
            .put("model", "assemblyai/u3-rt-pro").put("keyterms", new JsonArray().add("LiveKit"))))
        .compose(opened -> {
          control = opened.body().getString("controlAddress");
          return created.future(); // connected: updates go out at once
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void eachContextSendsTheAgentsLatestReplyOnlyCutToItsLast1750Characters(Vertx vertx, VertxTestContext ctx) {
    String latest = "b".repeat(100) + "c".repeat(1750);
    action(vertx, new JsonObject().put("action", "context").put("text", "How can I help you today?"))
        .compose(r -> action(vertx, new JsonObject().put("action", "context").put("text", latest)))
        .compose(r -> updatesReach(vertx, 2))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(2, updates.size(), updates.toString());
          assertEquals("How can I help you today?", updates.get(0).getString("agent_context"));
          assertEquals("c".repeat(1750), updates.get(1).getString("agent_context"), "replaces the first, not joined to it");
          ctx.completeNow();
        })));
  }

  @Test
  void anUpdateOfExtraCarriesTheSessionsKeytermsAgain(Vertx vertx, VertxTestContext ctx) {
    action(vertx, new JsonObject().put("action", "update").put("extra", new JsonObject().put("format_turns", true)))
        .compose(r -> updatesReach(vertx, 1))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(List.of(new JsonObject().put("format_turns", true)
              .put("keyterms_prompt", new JsonArray().add("LiveKit"))), updates);
          ctx.completeNow();
        })));
  }

  /** Completes once the gateway has {@code n} updates, or after 10 s (the assertions then say what came). */
  private Future<Void> updatesReach(Vertx vertx, int n) {
    Promise<Void> reached = Promise.promise();
    long deadline = System.nanoTime() + 10_000_000_000L;
    // set from the event loop: a periodic timer set from another thread can fire before Vert.x
    // holds its future, and cancelling it then throws and leaves it disposed but never run again
    vertx.runOnContext(start -> {
      vertx.setPeriodic(0, 20, id -> {
        if (updates.size() >= n || System.nanoTime() > deadline) {
          vertx.cancelTimer(id);
          reached.complete();
        }
      });
    });
    return reached.future();
  }

  private Future<JsonObject> action(Vertx vertx, JsonObject request) {
    return vertx.eventBus().<JsonObject>request(control, request).map(m -> m.body());
  }
}
