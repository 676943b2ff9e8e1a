package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every kind of bad frame gets an error frame with its own code, and the session goes on. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class LocalGatewayMalformedFramesTest {

  private int port;

  @BeforeEach
  void deployGateway(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.deployCountingGateway(vertx).onComplete(ctx.succeeding(p -> {
      port = p;
      ctx.completeNow();
    }));
  }

  @Test
  void textThatIsNotJsonGetsMalformedJson(Vertx vertx, VertxTestContext ctx) {
    afterCreate(vertx, ctx, s -> s.sendText("{not json"), GatewayErrorCode.MALFORMED_JSON);
  }

  @Test
  void aJsonArrayGetsMalformedJson(Vertx vertx, VertxTestContext ctx) {
    afterCreate(vertx, ctx, s -> s.sendText("[1,2]"), GatewayErrorCode.MALFORMED_JSON);
  }

  @Test
  void anObjectWithoutTypeGetsMalformedJson(Vertx vertx, VertxTestContext ctx) {
    afterCreate(vertx, ctx, s -> s.send(new JsonObject().put("audio", "AAAA")), GatewayErrorCode.MALFORMED_JSON);
  }

  @Test
  void anUnknownTypeGetsUnknownMessageType(Vertx vertx, VertxTestContext ctx) {
    afterCreate(vertx, ctx, s -> s.sendType("session.dance"), GatewayErrorCode.UNKNOWN_MESSAGE_TYPE);
  }

  @Test
  void aSecondSessionCreateGetsSessionAlreadyCreated(Vertx vertx, VertxTestContext ctx) {
    afterCreate(vertx, ctx, s -> s.sendCreate(16000), GatewayErrorCode.SESSION_ALREADY_CREATED);
  }

  @Test
  void audioThatIsNotAStringGetsInvalidMessage(Vertx vertx, VertxTestContext ctx) {
    afterCreate(vertx, ctx, s -> s.send(new JsonObject().put("type", "input_audio").put("audio", 12)),
        GatewayErrorCode.INVALID_MESSAGE);
  }

  @Test
  void audioThatIsNotBase64GetsInvalidBase64(Vertx vertx, VertxTestContext ctx) {
    afterCreate(vertx, ctx, s -> s.send(new JsonObject().put("type", "input_audio").put("audio", "@@@!")),
        GatewayErrorCode.INVALID_BASE64);
  }

  @Test
  void audioOfOddLengthGetsOddLengthAudio(Vertx vertx, VertxTestContext ctx) {
    afterCreate(vertx, ctx, s -> s.sendAudio(new byte[3]), GatewayErrorCode.ODD_LENGTH_AUDIO);
  }

  @Test
  void aBinaryFrameGetsBinaryFrame(Vertx vertx, VertxTestContext ctx) {
    afterCreate(vertx, ctx, s -> s.sendBinary(new byte[320]), GatewayErrorCode.BINARY_FRAME);
  }

  @Test
  void sessionUpdateWithoutSettingsGetsInvalidMessage(Vertx vertx, VertxTestContext ctx) {
    afterCreate(vertx, ctx, s -> s.sendType("session.update"), GatewayErrorCode.INVALID_MESSAGE);
  }

  @Test
  void audioBeforeSessionCreateGetsSessionNotCreated(Vertx vertx, VertxTestContext ctx) {
    beforeCreate(vertx, ctx, s -> s.sendAudio(new byte[320]), GatewayErrorCode.SESSION_NOT_CREATED);
  }

  @Test
  void finalizeBeforeSessionCreateGetsSessionNotCreated(Vertx vertx, VertxTestContext ctx) {
    beforeCreate(vertx, ctx, s -> s.sendType("session.finalize"), GatewayErrorCode.SESSION_NOT_CREATED);
  }

  @Test
  void anEncodingOtherThanPcmS16leGetsUnsupportedEncoding(Vertx vertx, VertxTestContext ctx) {
    beforeCreate(vertx, ctx, s -> s.send(new JsonObject().put("type", "session.create")
        .put("settings", new JsonObject().put("sample_rate", "16000").put("encoding", "opus"))),
        GatewayErrorCode.UNSUPPORTED_ENCODING);
  }

  @Test
  void aSampleRateThatIsNotANumberGetsUnsupportedSampleRate(Vertx vertx, VertxTestContext ctx) {
    beforeCreate(vertx, ctx, s -> s.send(new JsonObject().put("type", "session.create")
        .put("settings", new JsonObject().put("sample_rate", "fast").put("encoding", "pcm_s16le"))),
        GatewayErrorCode.UNSUPPORTED_SAMPLE_RATE);
  }

  @Test
  void aSampleRateOutOfRangeGetsUnsupportedSampleRate(Vertx vertx, VertxTestContext ctx) {
    beforeCreate(vertx, ctx, s -> s.send(new JsonObject().put("type", "session.create")
        .put("settings", new JsonObject().put("sample_rate", "100").put("encoding", "pcm_s16le"))),
        GatewayErrorCode.UNSUPPORTED_SAMPLE_RATE);
  }

  /** On a created session: the bad frame gets {@code code}, then a finalize still gets its final. */
  private void afterCreate(Vertx vertx, VertxTestContext ctx, Consumer<GatewayTestSocket> badFrame,
      int code) {
    GatewayTestSocket.session(vertx, port)
        .compose(s -> expectError(s, badFrame, code))
        .compose(s -> {
          s.sendAudio(new byte[1600]).sendType("session.finalize");
          return s.nextOfType("final_transcript");
        })
        .onComplete(ctx.succeeding(fin -> ctx.verify(() -> {
          assertEquals("frames 1 bytes 1600", fin.getString("transcript"));
          ctx.completeNow();
        })));
  }

  /** Before session.create: the bad frame gets {@code code}, then a good create still succeeds. */
  private void beforeCreate(Vertx vertx, VertxTestContext ctx, Consumer<GatewayTestSocket> badFrame,
      int code) {
    GatewayTestSocket.connect(vertx, port)
        .compose(s -> expectError(s, badFrame, code))
        .compose(s -> s.create(16000))
        .onComplete(ctx.succeeding(created -> ctx.verify(() -> {
          assertEquals("session.created", created.getString("type"));
          ctx.completeNow();
        })));
  }

  private static Future<GatewayTestSocket> expectError(GatewayTestSocket s,
      Consumer<GatewayTestSocket> badFrame, int code) {
    badFrame.accept(s);
    return s.next().map(error -> {
      assertEquals("error", error.getString("type"));
      assertEquals(code, error.getInteger("code"));
      assertFalse(error.getString("message").isEmpty());
      return s;
    });
  }
}
