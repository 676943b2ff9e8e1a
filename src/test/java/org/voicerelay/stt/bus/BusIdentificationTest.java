package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.MultiMap;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.Fixtures;

/**
 * What a bus caller puts in {@code open} reaches the gateway as LiveKit sends it: the
 * identification headers on the connection and the keyterms merged into the model's own option.
 * A recording gateway stands in for LiveKit's.
 */
@ExtendWith(VertxExtension.class)
class BusIdentificationTest {

  @Test
  void identificationAndKeytermsGivenAtOpenReachTheGateway(Vertx vertx, VertxTestContext ctx) {
    Promise<MultiMap> headers = Promise.promise();
    Promise<JsonObject> create = Promise.promise();
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(request -> {
          headers.tryComplete(request.headers());
          request.toWebSocket().onSuccess(ws -> ws.textMessageHandler(text -> {
            JsonObject frame = new JsonObject(text);
            if ("session.create".equals(frame.getString("type"))) {
              create.tryComplete(frame);
              ws.writeTextMessage(new JsonObject().put("type", "session.created").encode());
            }
          }));
        })
        .listen()
        .compose(server -> vertx.deployVerticle(new SttVerticle(new SttVerticleOptions()
            .setClient(Fixtures.clientOptions(server.actualPort())).setAdmission(Fixtures.relaxedAdmission()))))
        .compose(id -> vertx.eventBus().<JsonObject>request("stt.open", new JsonObject()
            .put("model", "deepgram/nova-3").put("extra", new JsonObject().put("keyterm", new JsonArray().add("Vert.x")))
            .put("keyterms", new JsonArray().add("LiveKit").add("Vert.x"))
            .put("roomId", "room-7").put("jobId", "job-7").put("agentId", "agent-7").put("priority", "high")))
        .compose(opened -> headers.future().compose(h -> create.future().map(c -> {
          ctx.verify(() -> {
            assertEquals("room-7", h.get("X-LiveKit-Room-ID"));
            assertEquals("job-7", h.get("X-LiveKit-Job-ID"));
            assertEquals("agent-7", h.get("X-LiveKit-Agent-ID"));
            assertEquals("high", h.get("X-LiveKit-Inference-Priority"));
            assertTrue(h.get("X-LiveKit-Session-ID").startsWith("inference_"), h.get("X-LiveKit-Session-ID"));
            assertEquals(new JsonArray().add("Vert.x").add("LiveKit"),
                c.getJsonObject("settings").getJsonObject("extra").getJsonArray("keyterm"),
                "the caller's own keyterm first, then the session's, without duplicates: " + c.encode());
            assertEquals(new JsonObject().put("wordTimings", true).put("diarization", false).put("keyterms", true)
                .put("chatContext", false), opened.body().getJsonObject("capabilities"));
          });
          return null;
        })))
        .onComplete(ctx.succeedingThenComplete());
  }
}
