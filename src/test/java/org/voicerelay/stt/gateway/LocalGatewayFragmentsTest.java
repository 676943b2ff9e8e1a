package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Messages a client sends in several WebSocket frames: the gateway reads whole frames from their
 * bytes ({@link ClientFrames}), so fragments must come out as the same messages, within the size limit.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class LocalGatewayFragmentsTest {

  private static final int MAX_MESSAGE_SIZE = 4096;

  private int port;

  @BeforeEach
  void deployGateway(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.deployGateway(vertx, GatewayTestSocket.countingOptions().setMaxMessageSize(MAX_MESSAGE_SIZE))
        .onComplete(ctx.succeeding(p -> {
          port = p;
          ctx.completeNow();
        }));
  }

  @Test
  void audioAndFinalizeInFragmentsAreReadAsWholeMessages(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.session(vertx, port)
        .compose(s -> s.sendTextInFragments(audio(1600), 3)
            .sendTextInFragments("{\"type\":\"session.finalize\"}", 2)
            .nextOfType("final_transcript"))
        .onComplete(ctx.succeeding(fin -> ctx.verify(() -> {
          assertEquals("frames 1 bytes 1600", fin.getString("transcript"));
          ctx.completeNow();
        })));
  }

  @Test
  void aBinaryMessageInFragmentsGetsOneBinaryFrameError(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.session(vertx, port)
        .compose(s -> s.sendBinaryInFragments(new byte[900], 3).next().map(error -> {
          assertEquals(GatewayErrorCode.BINARY_FRAME, error.getInteger("code"));
          return s;
        }))
        // up to the final, no second error: the other fragments got none
        .compose(s -> finalWithoutError(s.sendAudio(new byte[320]).sendType("session.finalize")))
        .onComplete(ctx.succeeding(fin -> ctx.verify(() -> {
          assertEquals("frames 1 bytes 320", fin.getString("transcript"));
          ctx.completeNow();
        })));
  }

  @Test
  void fragmentsPastMaxMessageSizeGetInvalidMessageAndClose1009(Vertx vertx, VertxTestContext ctx) {
    tooLarge(vertx, ctx, s -> s.sendTextInFragments(audio(4000), 4));
  }

  @Test
  void oneFramePastMaxMessageSizeGetsInvalidMessageAndClose1009(Vertx vertx, VertxTestContext ctx) {
    tooLarge(vertx, ctx, s -> s.sendText(audio(4000)));
  }

  @Test
  void aFramePastTwiceTheLimitIsCutOffByTheDecoder(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.session(vertx, port)
        .compose(s -> s.sendText(audio(2 * MAX_MESSAGE_SIZE)).closed())
        .onComplete(ctx.succeeding(code -> ctx.verify(() -> {
          assertEquals((short) 1006, code, "closed without a close frame");
          ctx.completeNow();
        })));
  }

  /** The message {@code send} writes is over the limit: error 4004, then close 1009. */
  private void tooLarge(Vertx vertx, VertxTestContext ctx, Consumer<GatewayTestSocket> send) {
    GatewayTestSocket.session(vertx, port)
        .compose(s -> {
          send.accept(s);
          return s.next().compose(error -> {
            ctx.verify(() -> {
              assertEquals("error", error.getString("type"));
              assertEquals(GatewayErrorCode.INVALID_MESSAGE, error.getInteger("code"));
            });
            return s.closed();
          });
        })
        .onComplete(ctx.succeeding(code -> ctx.verify(() -> {
          assertEquals((short) 1009, code);
          ctx.completeNow();
        })));
  }

  private static Future<JsonObject> finalWithoutError(GatewayTestSocket s) {
    return s.next().compose(frame -> {
      assertNotEquals("error", frame.getString("type"));
      return "final_transcript".equals(frame.getString("type")) ? Future.succeededFuture(frame) : finalWithoutError(s);
    });
  }

  private static String audio(int bytes) {
    return new JsonObject().put("type", "input_audio")
        .put("audio", Base64.getEncoder().encodeToString(new byte[bytes])).encode();
  }
}
