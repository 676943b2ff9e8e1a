package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamOptions;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttOptions;

/** The gateway logs who called (the identification headers) and never the worker token. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 15, timeUnit = TimeUnit.SECONDS)
class LocalGatewayIdentificationLogTest {

  private static final String WORKER_TOKEN = "wt-gateway-log-Zq81-private";

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureLog() {
    originalErr = System.err;
    System.setErr(new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (captured) {
          captured.write(b);
        }
        originalErr.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (captured) {
          captured.write(b, off, len);
        }
        originalErr.write(b, off, len);
      }
    }, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    System.setErr(originalErr);
  }

  @Test
  void theSessionLogLineNamesTheCallerAndOnlyThatAWorkerTokenCame(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.deployCountingGateway(vertx).onComplete(ctx.succeeding(port -> {
      SttClient client = SttClient.create(vertx, new SttOptions().setBaseUrl("http://127.0.0.1:" + port + "/v1")
          .setApiKey(GatewayTestSocket.API_KEY).setApiSecret(GatewayTestSocket.API_SECRET)
          .setWorkerToken(WORKER_TOKEN).setAgentId("agent-9"));
      SpeechStream stream = client.stream(new StreamOptions().setRoomId("room-42").setJobId("job-7").setPriority("low"));
      stream.write(Buffer.buffer(new byte[3200]));
      stream.end().onComplete(ctx.succeeding(v -> vertx.setTimer(100, t -> ctx.verify(() -> {
        String log;
        synchronized (captured) {
          log = captured.toString(StandardCharsets.UTF_8);
        }
        String opened = log.lines().filter(l -> l.contains("opened:")).findFirst().orElse("");
        assertTrue(opened.contains("userAgent=vertx-livekit-stt/"), log);
        assertTrue(opened.matches(".*clientSessionId=inference_[0-9a-z]{12}.*"), opened);
        assertTrue(opened.contains("room=room-42") && opened.contains("job=job-7") && opened.contains("agent=agent-9")
            && opened.contains("priority=low"), opened);
        assertTrue(opened.contains("workerToken=present"), opened);
        assertFalse(log.contains(WORKER_TOKEN), "the worker token was logged");
        client.close().onComplete(ctx.succeedingThenComplete());
      }))));
    }));
  }
}
