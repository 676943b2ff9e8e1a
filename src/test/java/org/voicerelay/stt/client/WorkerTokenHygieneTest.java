package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.voicerelay.stt.client.impl.SttClientImpl;
import org.voicerelay.stt.testing.LogCapture;

/**
 * The worker token goes to the gateway on every connection and nowhere else: not in a log line,
 * an event, a status, an exception or a {@code toString()}, through a run with a reconnect,
 * garbage from the gateway and a refused connection that fails the stream.
 */
class WorkerTokenHygieneTest extends OnScriptedGateway {

  private static final String TOKEN = "wt-Q7mZ2vLp9-private-worker-token";
  private static final String ENV_TOKEN = "wt-K3nB8xRt1-private-environment-token";

  @RegisterExtension
  final LogCapture logs = new LogCapture();

  @Test
  void theWorkerTokenAppearsInNoLogEventStatusExceptionOrToString(Vertx vertx, VertxTestContext ctx) {
    List<String> seen = new CopyOnWriteArrayList<>();
    gateway.upgradeStatus = n -> n < 2 ? 101 : 401;
    gateway.onFrame = (c, f) -> {
      if ("session.create".equals(f.getString("type"))) {
        c.socket.writeTextMessage("{garbage");
        c.send(new JsonObject().put("type", "final_transcript").put("transcript", "hello"));
        vertx.setTimer(30, t -> c.socket.close()); // dropped twice, then refused: the stream fails
      }
    };
    SttOptions options = gateway.options().setWorkerToken(TOKEN).setRoomId("room-7");
    SttClient client = new SttClientImpl(vertx, options, Map.of("LIVEKIT_WORKER_TOKEN", ENV_TOKEN));
    seen.add(options.toString());
    seen.add(options.toJson().encode());
    seen.add(new SttOptions(options.toJson()).toString());
    seen.add(client.toString());
    seen.add(client.options().toString());
    SpeechStream stream = client.stream();
    seen.add(stream.toString());
    stream.handler(e -> seen.add(e.toJson().encode() + " " + e));
    stream.exceptionHandler(err -> {
      for (Throwable t = err; t != null; t = t.getCause()) {
        seen.add(t.toString());
      }
    });
    stream.write(Buffer.buffer(new byte[3200]));
    vertx.setTimer(100, t -> seen.add(stream.status().encode()));
    stream.endHandler(v -> ctx.verify(() -> {
      seen.add(stream.status().encode());
      seen.add(stream.toString());
      assertTrue(gateway.connections.size() >= 3, "reconnected and was refused");
      assertEquals(TOKEN, gateway.connection(0).headers.get("X-LiveKit-Worker-Token"), "the gateway got it");
      assertEquals(TOKEN, gateway.connection(1).headers.get("X-LiveKit-Worker-Token"));
      String logged = logs.text();
      assertTrue(logged.contains("reconnecting"), "the log capture works");
      seen.add(logged);
      String everything = String.join("\n", seen);
      assertTrue(everything.contains("room-7"), "what is not secret is shown");
      assertFalse(everything.contains(TOKEN), "the worker token leaked");
      assertFalse(everything.contains(ENV_TOKEN), "the environment's worker token leaked");
      ctx.completeNow();
    }));
  }
}
