package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.impl.CodecManager;
import io.vertx.core.eventbus.impl.MessageImpl;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/** Session audio with {@link AudioCodec}: handed over without a copy, and the contract unchanged beside it. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class AudioCodecTest {

  private static final int CHUNK = 3_200;

  private TestStack stack;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().deploy(vertx).onComplete(ctx.succeeding(s -> {
      stack = s;
      ctx.completeNow();
    }));
  }

  /** Opens a 16 kHz session with events on {@code eventsAddress}, feeds it, ends it; its events once closed. */
  private Future<EventRecorder> transcribe(String eventsAddress, Function<JsonObject, Future<?>> feed) {
    return EventRecorder.on(stack.vertx, eventsAddress).compose(events ->
        stack.open(new JsonObject().put("sampleRate", 16000).put("eventsAddress", eventsAddress))
            .compose(session -> feed.apply(session).compose(v -> stack.control(session, "end")))
            .compose(end -> events.closed())
            .map(closed -> events));
  }

  @Test
  void aLocalSendWithTheCodecHandsTheSendersBufferItselfToTheConsumer(Vertx vertx, VertxTestContext ctx) {
    Buffer sent = Fixtures.tone(CHUNK);
    vertx.eventBus().<Buffer>consumer("app.test.codec", m -> ctx.verify(() -> {
      assertSame(sent, m.body());
      ctx.completeNow();
    })).completion().onComplete(ctx.succeeding(v ->
        vertx.eventBus().send("app.test.codec", sent, AudioCodec.deliveryOptions())));
  }

  @Test
  void theWireFormatIsTheOneOfTheBuiltInBufferCodec() {
    Buffer pcm = Fixtures.tone(CHUNK);
    Buffer ours = Buffer.buffer("header");
    Buffer builtIn = Buffer.buffer("header");
    new AudioCodec().encodeToWire(ours, pcm);
    CodecManager.BUFFER_MESSAGE_CODEC.encodeToWire(builtIn, pcm);
    assertEquals(builtIn, ours);
    assertEquals(pcm, new AudioCodec().decodeFromWire("header".length(), ours));
  }

  @Test
  void anOpenReplyNamesTheCodecItsAudioAddressTakes(VertxTestContext ctx) {
    stack.open(new JsonObject()).onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
      assertEquals(AudioCodec.NAME, reply.getString("audioCodec"));
      assertTrue(AudioCodec.namedIn(reply));
      assertFalse(AudioCodec.namedIn(reply.copy().put("audioCodec", null)), "a node of an older release names none");
      ctx.completeNow();
    })));
  }

  @Test
  void aSessionFedWithTheCodecTranscribesEveryByteInOrder(Vertx vertx, VertxTestContext ctx) {
    byte[] pcm = Fixtures.tone(20 * CHUNK).getBytes();
    transcribe("app.test.codec.session",
        session -> stack.stream(session, pcm, CHUNK, 4, AudioCodec.deliveryOptions()))
        .onComplete(ctx.succeeding(events -> ctx.verify(() -> {
          assertTranscribedExactly(pcm, events);
          ctx.completeNow();
        })));
  }

  @Test
  void plainBuffersByteArraysAndBase64StillWorkInOneSessionWithCodecAudio(Vertx vertx, VertxTestContext ctx) {
    byte[] pcm = Fixtures.tone(4 * CHUNK).getBytes();
    Buffer all = Buffer.buffer(pcm);
    transcribe("app.test.codec.mixed", session -> stack.audio(session, all.getBuffer(0, CHUNK))
        .compose(r -> vertx.eventBus().request(session.getString("audioAddress"),
            all.getBuffer(CHUNK, 2 * CHUNK), AudioCodec.deliveryOptions()))
        .compose(r -> stack.audio(session, all.getBytes(2 * CHUNK, 3 * CHUNK)))
        .compose(r -> stack.audio(session, new JsonObject().put("audio",
            Base64.getEncoder().encodeToString(all.getBytes(3 * CHUNK, 4 * CHUNK))))))
        .onComplete(ctx.succeeding(events -> ctx.verify(() -> {
          assertTranscribedExactly(pcm, events);
          ctx.completeNow();
        })));
  }

  @Test
  void aResumableSessionSendsItsAudioWithTheCodecAndEveryByteArrives(Vertx vertx, VertxTestContext ctx) {
    List<String> audioCodecs = new CopyOnWriteArrayList<>();
    vertx.eventBus().addOutboundInterceptor(dc -> {
      if (dc.message().address().endsWith(".audio")) {
        audioCodecs.add(((MessageImpl<?, ?>) dc.message()).codec().name());
      }
      dc.next();
    });
    byte[] pcm = Fixtures.tone(10 * CHUNK).getBytes();
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    ResumableSession.open(vertx, new ResumableSessionOptions().setSampleRate(16000))
        .compose(session -> {
          session.handler(events::add);
          Buffer chunk = Buffer.buffer(CHUNK);
          for (int off = 0; off < pcm.length; off += CHUNK) {
            // one Buffer reused for every write: write copies, so the caller may
            chunk.setBytes(0, pcm, off, CHUNK);
            session.write(chunk);
          }
          return session.end();
        })
        .onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
          assertEquals("ended", closed.getString("reason"));
          assertEquals(List.of(AudioCodec.NAME), audioCodecs.stream().distinct().toList());
          assertEquals(10, audioCodecs.size());
          assertTranscribedExactly(pcm, events);
          ctx.completeNow();
        })));
  }

  /** The session's last final counts exactly {@code pcm}: its bytes and their CRC32. */
  private static void assertTranscribedExactly(byte[] pcm, EventRecorder events) {
    assertTranscribedExactly(pcm, events.events);
  }

  private static void assertTranscribedExactly(byte[] pcm, List<JsonObject> events) {
    JsonObject last = lastFinalMetadata(events);
    assertEquals(pcm.length, last.getLong("totalBytes"));
    assertEquals(crc(pcm), last.getLong("totalChecksum"));
  }

  private static JsonObject lastFinalMetadata(List<JsonObject> events) {
    List<JsonObject> finals = events.stream().filter(e -> "final_transcript".equals(e.getString("type"))).toList();
    assertFalse(finals.isEmpty(), "no final transcript among " + events);
    return finals.get(finals.size() - 1).getJsonArray("alternatives").getJsonObject(0).getJsonObject("metadata");
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }
}
