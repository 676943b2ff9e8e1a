package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.gateway.engine.Recognition;
import org.voicerelay.stt.gateway.engine.RecognitionListener;
import org.voicerelay.stt.gateway.engine.RecognitionRequest;
import org.voicerelay.stt.gateway.engine.Recognizer;

/** The limits that protect the gateway: sessions, engine backlog, idleness, engine failure. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class LocalGatewayLimitsTest {

  @Test
  void aConnectionBeyondMaxSessionsGetsTooManySessionsAndIsClosed(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, GatewayTestSocket.countingOptions().setMaxSessions(2), null)
        .compose(gateway -> GatewayTestSocket.session(vertx, gateway.actualPort())
            .compose(first -> GatewayTestSocket.session(vertx, gateway.actualPort()))
            .compose(second -> GatewayTestSocket.connect(vertx, gateway.actualPort()))
            .compose(third -> third.next().compose(error -> {
              assertEquals("error", error.getString("type"));
              assertEquals(GatewayErrorCode.TOO_MANY_SESSIONS, error.getInteger("code"));
              return third.closed();
            })))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertEquals((short) 1013, status);
          ctx.completeNow();
        })));
  }

  @Test
  void aClosedSessionFreesItsPlaceForANewOne(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, GatewayTestSocket.countingOptions().setMaxSessions(1), null)
        .compose(gateway -> GatewayTestSocket.session(vertx, gateway.actualPort())
            .compose(first -> {
              first.sendType("session.close");
              return first.closed();
            })
            .compose(status -> GatewayTestSocket.connect(vertx, gateway.actualPort()))
            .compose(second -> second.create(16000)))
        .onComplete(ctx.succeeding(created -> ctx.verify(() -> {
          assertEquals("session.created", created.getString("type"));
          ctx.completeNow();
        })));
  }

  @Test
  void audioBeyondTheEngineBacklogLimitGetsBufferOverflowAndCloses(Vertx vertx, VertxTestContext ctx) {
    LocalGatewayOptions options = GatewayTestSocket.countingOptions().setMaxPendingBytes(8000);
    deploy(vertx, options, new BacklogRecognizer())
        .compose(gateway -> GatewayTestSocket.session(vertx, gateway.actualPort()))
        .compose(s -> {
          for (int i = 0; i < 6; i++) {
            s.sendAudio(new byte[1600]);
          }
          return s.next().compose(error -> {
            assertEquals(GatewayErrorCode.AUDIO_BUFFER_OVERFLOW, error.getInteger("code"));
            return s.closed();
          });
        })
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertEquals((short) 1008, status);
          ctx.completeNow();
        })));
  }

  @Test
  void anIdleSessionGetsInactiveSession2007AndIsClosed(Vertx vertx, VertxTestContext ctx) {
    long started = System.nanoTime();
    deploy(vertx, GatewayTestSocket.countingOptions().setIdleTimeout(300), null)
        .compose(gateway -> GatewayTestSocket.session(vertx, gateway.actualPort()))
        .compose(s -> s.next().compose(error -> {
          assertEquals("error", error.getString("type"));
          assertEquals(2007, error.getInteger("code"));
          return s.closed();
        }))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          long elapsedMs = (System.nanoTime() - started) / 1_000_000;
          assertTrue(elapsedMs >= 300, "closed after " + elapsedMs + " ms");
          ctx.completeNow();
        })));
  }

  @Test
  void aSessionThatKeepsSendingAudioIsNotIdle(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, GatewayTestSocket.countingOptions().setIdleTimeout(300), null)
        .compose(gateway -> GatewayTestSocket.session(vertx, gateway.actualPort()))
        .compose(s -> {
          long timer = vertx.setPeriodic(50, id -> s.sendAudio(new byte[1600]));
          return delay(vertx, 700).compose(v -> {
            vertx.cancelTimer(timer);
            s.sendType("session.finalize");
            return s.nextOfType("final_transcript");
          });
        })
        .onComplete(ctx.succeeding(fin -> ctx.verify(() -> {
          assertTrue(fin.getJsonObject("extra").getLong("frames") >= 10);
          ctx.completeNow();
        })));
  }

  @Test
  void anEngineFailureGetsEngineFailureAndCloses(Vertx vertx, VertxTestContext ctx) {
    deploy(vertx, GatewayTestSocket.countingOptions(), new FailingRecognizer())
        .compose(gateway -> GatewayTestSocket.session(vertx, gateway.actualPort()))
        .compose(s -> {
          s.sendAudio(new byte[1600]);
          return s.next().compose(error -> {
            assertEquals(GatewayErrorCode.ENGINE_FAILURE, error.getInteger("code"));
            assertTrue(error.getString("message").contains("decoder exploded"));
            return s.closed();
          });
        })
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertEquals((short) 1011, status);
          ctx.completeNow();
        })));
  }

  private static Future<LocalGatewayVerticle> deploy(Vertx vertx, LocalGatewayOptions options,
      Recognizer engine) {
    LocalGatewayVerticle gateway = new LocalGatewayVerticle(options, engine);
    return vertx.deployVerticle(gateway).map(id -> gateway);
  }

  private static Future<Void> delay(Vertx vertx, long millis) {
    return Future.future(p -> vertx.setTimer(millis, id -> p.complete()));
  }

  /** An engine that never gets round to decoding: its backlog only grows. */
  private static final class BacklogRecognizer implements Recognizer {

    @Override
    public String name() {
      return "backlog";
    }

    @Override
    public int sampleRate() {
      return 16000;
    }

    @Override
    public Recognition open(RecognitionRequest request, RecognitionListener listener) {
      AtomicLong pending = new AtomicLong();
      return new Recognition() {
        @Override
        public void accept(byte[] pcm) {
          pending.addAndGet(pcm.length);
        }

        @Override
        public void finalizeUtterance() {
        }

        @Override
        public long pendingBytes() {
          return pending.get();
        }

        @Override
        public void close() {
        }
      };
    }

    @Override
    public void close() {
    }
  }

  /** An engine whose decoder thread fails on the first audio. */
  private static final class FailingRecognizer implements Recognizer {

    @Override
    public String name() {
      return "failing";
    }

    @Override
    public int sampleRate() {
      return 16000;
    }

    @Override
    public Recognition open(RecognitionRequest request, RecognitionListener listener) {
      return new Recognition() {
        @Override
        public void accept(byte[] pcm) {
          new Thread(() -> listener.onError(new IllegalStateException("decoder exploded"))).start();
        }

        @Override
        public void finalizeUtterance() {
        }

        @Override
        public long pendingBytes() {
          return 0;
        }

        @Override
        public void close() {
        }
      };
    }

    @Override
    public void close() {
    }
  }
}
