package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.client.impl.SttClientImpl;

/** Who is calling, as the gateway sees it on every connection. */
class IdentificationHeadersTest extends OnScriptedGateway {

  private static final String SESSION_ID = "X-LiveKit-Session-ID";

  @Test
  void everyConnectionCarriesTheIdentificationAndASessionIdOfItsOwnWhichIsTheRequestIdOfItsEvents(Vertx vertx,
      VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if (c.index == 0 && "session.create".equals(f.getString("type"))) {
        c.send(new JsonObject().put("type", "final_transcript").put("transcript", "first"));
        vertx.setTimer(50, t -> c.socket.close()); // dropped: the stream reconnects
      } else if ("session.create".equals(f.getString("type"))) {
        c.send(new JsonObject().put("type", "final_transcript").put("transcript", "second"));
      } else {
        ScriptedGateway.cooperative(c, f);
      }
    };
    SttClient client = SttClient.create(vertx, gateway.options().setRoomId("room-1").setJobId("job-1")
        .setAgentId("agent-1").setPriority("high").setWorkerToken("wt-client"));
    SpeechStream stream = client.stream(new StreamOptions().setRoomId("room-of-the-stream"));
    List<SpeechEvent> finals = new CopyOnWriteArrayList<>();
    stream.handler(e -> {
      if (e.type() == SpeechEventType.FINAL_TRANSCRIPT) {
        finals.add(e);
        if (finals.size() == 2) {
          stream.end();
        }
      }
    });
    stream.endHandler(v -> ctx.verify(() -> {
      assertEquals(2, gateway.connections.size(), "one drop, one reconnect");
      for (ScriptedGateway.Connection c : gateway.connections) {
        assertTrue(c.headers.get("User-Agent").startsWith("vertx-livekit-stt/0."), c.headers.get("User-Agent"));
        assertTrue(c.headers.get(SESSION_ID).matches("inference_[0-9a-z]{12}"), c.headers.get(SESSION_ID));
        assertEquals("room-of-the-stream", c.headers.get("X-LiveKit-Room-ID"), "the stream's own room");
        assertEquals("job-1", c.headers.get("X-LiveKit-Job-ID"));
        assertEquals("agent-1", c.headers.get("X-LiveKit-Agent-ID"));
        assertEquals("high", c.headers.get("X-LiveKit-Inference-Priority"));
        assertEquals("wt-client", c.headers.get("X-LiveKit-Worker-Token"));
        assertEquals(1, c.headers.getAll(SESSION_ID).size());
      }
      String first = gateway.connection(0).headers.get(SESSION_ID);
      String second = gateway.connection(1).headers.get(SESSION_ID);
      assertNotEquals(first, second, "a new session id per connection");
      assertEquals(first, finals.get(0).requestId(), "no request id from the gateway: the connection's session id");
      assertEquals(second, finals.get(1).requestId());
      ctx.completeNow();
    }));
  }

  @Test
  void theWorkerTokenComesFromTheEnvironmentWhenTheOptionsHaveNoneAndUnknownIdsAreLeftOut(Vertx vertx,
      VertxTestContext ctx) {
    SttClient client = new SttClientImpl(vertx, gateway.options(), Map.of("LIVEKIT_WORKER_TOKEN", "wt-env"));
    client.stream().end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      ScriptedGateway.Connection c = gateway.connection(0);
      assertEquals("wt-env", c.headers.get("X-LiveKit-Worker-Token"));
      assertNull(c.headers.get("X-LiveKit-Room-ID"));
      assertNull(c.headers.get("X-LiveKit-Job-ID"));
      assertNull(c.headers.get("X-LiveKit-Agent-ID"));
      assertNull(c.headers.get("X-LiveKit-Inference-Priority"));
      ctx.completeNow();
    })));
  }

  @Test
  void theOptionsTokenWinsOverTheEnvironmentAndStatusNamesTheConnectionsSessionId(Vertx vertx,
      VertxTestContext ctx) {
    SttClient client = new SttClientImpl(vertx, gateway.options().setWorkerToken("wt-option"),
        Map.of("LIVEKIT_WORKER_TOKEN", "wt-env"));
    SpeechStream stream = client.stream();
    stream.write(Buffer.buffer(new byte[3200]));
    until(vertx, ctx, "the first connection attempt", () -> !gateway.connections.isEmpty(), () -> {
      String sessionId = stream.status().getString("connectionSessionId");
      stream.end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
        assertEquals("wt-option", gateway.connection(0).headers.get("X-LiveKit-Worker-Token"));
        assertEquals(gateway.connection(0).headers.get(SESSION_ID), sessionId);
        ctx.completeNow();
      })));
    });
  }
}
