package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The protocol as a client sees it, against the counting engine. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class LocalGatewayVerticleTest {

  private static final int FRAME_BYTES = 1600;

  private LocalGatewayVerticle gateway;
  private int port;

  @BeforeEach
  void deployGateway(Vertx vertx, VertxTestContext ctx) {
    gateway = new LocalGatewayVerticle(GatewayTestSocket.countingOptions()
        .setRecognizerConfig(new JsonObject().put("interimEveryFrames", 5)));
    vertx.deployVerticle(gateway).onComplete(ctx.succeeding(id -> {
      port = gateway.actualPort();
      ctx.completeNow();
    }));
  }

  @Test
  void sessionCreateIsAnsweredWithSessionCreatedCarryingASessionId(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.connect(vertx, port)
        .compose(s -> s.create(16000))
        .onComplete(ctx.succeeding(created -> ctx.verify(() -> {
          assertEquals("session.created", created.getString("type"));
          assertTrue(created.getString("session_id").startsWith("gw_"));
          ctx.completeNow();
        })));
  }

  @Test
  void everyAudioByteArrivesInOrderAndIsCountedInTheFinalTranscript(Vertx vertx, VertxTestContext ctx) {
    Random random = new Random(42);
    CRC32 expected = new CRC32();
    GatewayTestSocket.session(vertx, port).compose(s -> {
      for (int i = 0; i < 30; i++) {
        byte[] pcm = new byte[FRAME_BYTES];
        random.nextBytes(pcm);
        expected.update(pcm);
        s.sendAudio(pcm);
      }
      s.sendType("session.finalize");
      return s.nextOfType("final_transcript");
    }).onComplete(ctx.succeeding(fin -> ctx.verify(() -> {
      assertEquals("frames 30 bytes 48000", fin.getString("transcript"));
      JsonObject extra = fin.getJsonObject("extra");
      assertEquals(30, extra.getLong("frames"));
      assertEquals(48000, extra.getLong("bytes"));
      assertEquals(expected.getValue(), extra.getLong("checksum"));
      assertEquals(0.0, fin.getDouble("start"));
      assertEquals(1.5, fin.getDouble("duration"), 1e-9);
      assertEquals(1.0, fin.getDouble("confidence"));
      assertEquals("en", fin.getString("language"));
      assertTrue(fin.getJsonArray("words").isEmpty());
      ctx.completeNow();
    })));
  }

  @Test
  void finalizeIsAnsweredWithTheFinalTranscriptThenSessionFinalized(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.session(vertx, port).compose(s -> {
      s.sendAudio(new byte[FRAME_BYTES]).sendType("session.finalize");
      return s.nextOfType("final_transcript").compose(fin -> s.next().map(after -> {
        assertEquals("session.finalized", after.getString("type"));
        return fin;
      }));
    }).onComplete(ctx.succeeding(fin -> ctx.verify(() -> {
      assertFalse(fin.getString("session_id").isEmpty());
      ctx.completeNow();
    })));
  }

  @Test
  void speechStartAndInterimTranscriptsArriveAsAudioGrows(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.session(vertx, port).compose(s -> {
      for (int i = 0; i < 10; i++) {
        s.sendAudio(new byte[FRAME_BYTES]);
      }
      return s.next().compose(first -> s.next().compose(second -> s.next().map(third -> {
        assertEquals("start_of_speech", first.getString("type"));
        assertEquals("interim_transcript", second.getString("type"));
        assertEquals("frames 5", second.getString("transcript"));
        assertEquals("frames 10", third.getString("transcript"));
        assertEquals(0.5, third.getDouble("duration"), 1e-9);
        return third;
      })));
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void sessionUpdateChangesTheLanguageOfLaterTranscripts(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.session(vertx, port).compose(s -> {
      s.send(new JsonObject().put("type", "session.update")
          .put("settings", new JsonObject().put("language", "fr")));
      s.sendAudio(new byte[FRAME_BYTES]).sendType("session.finalize");
      return s.nextOfType("final_transcript");
    }).onComplete(ctx.succeeding(fin -> ctx.verify(() -> {
      assertEquals("fr", fin.getString("language"));
      ctx.completeNow();
    })));
  }

  @Test
  void audioAtAnotherRateIsResampledToTheEngineRate(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.connect(vertx, port).compose(s -> s.create(48000).compose(created -> {
      for (int i = 0; i < 20; i++) {
        s.sendAudio(new byte[4800]);
      }
      s.sendType("session.finalize");
      return s.nextOfType("final_transcript");
    })).onComplete(ctx.succeeding(fin -> ctx.verify(() -> {
      long bytes = fin.getJsonObject("extra").getLong("bytes");
      assertTrue(bytes > 31_900 && bytes <= 32_000, "1 s at 16 kHz, got " + bytes + " bytes");
      ctx.completeNow();
    })));
  }

  @Test
  void sessionCloseIsAnsweredWithSessionClosedAndTheSocketCloses(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.session(vertx, port).compose(s -> {
      s.sendType("session.close");
      return s.next().compose(closed -> {
        assertEquals("session.closed", closed.getString("type"));
        return s.closed();
      });
    }).onComplete(ctx.succeeding(status -> ctx.verify(() -> {
      assertEquals((short) 1000, status);
      assertEquals(0, gateway.sessionCount());
      ctx.completeNow();
    })));
  }

  @Test
  void withoutTheSessionClosedReplySessionCloseJustClosesTheSocket(Vertx vertx, VertxTestContext ctx) {
    LocalGatewayVerticle quiet = new LocalGatewayVerticle(GatewayTestSocket.countingOptions()
        .setSessionClosedReply(false));
    vertx.deployVerticle(quiet)
        .compose(id -> GatewayTestSocket.session(vertx, quiet.actualPort()))
        .compose(s -> {
          Future<JsonObject> frameAfterClose = s.next();
          s.sendType("session.close");
          return s.closed().compose(status -> frameAfterClose.transform(ar -> {
            assertTrue(ar.failed(), "no frame expected, got " + ar.result());
            return Future.succeededFuture(status);
          }));
        })
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertEquals((short) 1000, status);
          ctx.completeNow();
        })));
  }

  @Test
  void aFinalizeSentJustBeforeSessionCloseIsStillAnswered(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.session(vertx, port).compose(s -> {
      s.sendAudio(new byte[FRAME_BYTES]).sendType("session.finalize").sendType("session.close");
      return s.nextOfType("final_transcript")
          .compose(fin -> s.next())
          .compose(finalized -> {
            assertEquals("session.finalized", finalized.getString("type"));
            return s.next();
          });
    }).onComplete(ctx.succeeding(closed -> ctx.verify(() -> {
      assertEquals("session.closed", closed.getString("type"));
      ctx.completeNow();
    })));
  }

  @Test
  void theEndpointAlsoAnswersWithoutTheV1Prefix(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.connect(vertx, port, LocalGatewayVerticle.PATH,
            "Bearer " + GatewayTestSocket.validToken(vertx))
        .compose(s -> s.create(16000))
        .onComplete(ctx.succeeding(created -> ctx.verify(() -> {
          assertEquals("session.created", created.getString("type"));
          ctx.completeNow();
        })));
  }

  @Test
  void undeployingSendsSessionClosedAndClosesOpenSockets(Vertx vertx, VertxTestContext ctx) {
    GatewayTestSocket.session(vertx, port).compose(s -> {
      Future<JsonObject> closedFrame = s.next();
      return vertx.undeploy(gateway.deploymentID())
          .compose(v -> closedFrame)
          .compose(frame -> {
            assertEquals("session.closed", frame.getString("type"));
            return s.closed();
          });
    }).onComplete(ctx.succeeding(status -> ctx.verify(() -> {
      assertEquals((short) 1001, status);
      assertEquals(0, gateway.sessionCount());
      ctx.completeNow();
    })));
  }
}
