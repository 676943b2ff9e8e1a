package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Failures of the connection: what is retried, how often, and what survives a reconnect. */
class SpeechStreamReconnectTest extends OnScriptedGateway {

  private static List<SpeechEventType> types(List<SpeechEvent> events) {
    return events.stream().map(SpeechEvent::type).toList();
  }

  @Test
  void unauthorizedFailsAtOnceWithoutRetrying(Vertx vertx, VertxTestContext ctx) {
    gateway.upgradeStatus = n -> 401;
    SpeechStream stream = SttClient.create(vertx, gateway.options()).stream();
    List<SpeechEvent> events = new CopyOnWriteArrayList<>();
    stream.handler(events::add);
    stream.exceptionHandler(err -> ctx.verify(() -> {
      SttException e = (SttException) err;
      assertEquals(SttErrorCode.AUTHENTICATION_FAILED, e.code());
      assertEquals(401, e.statusCode());
      assertEquals(false, e.retryable());
      assertEquals(1, gateway.connections.size());
      assertEquals(List.of(SpeechEventType.ERROR), types(events));
      ctx.completeNow();
    }));
  }

  @Test
  void quotaExceededIsRetriedUntilTheReconnectWindowHasPassed(Vertx vertx, VertxTestContext ctx) {
    gateway.upgradeStatus = n -> 429;
    SttOptions options = gateway.options()
        .setCircuitBreakerOptions(SttOptions.defaultCircuitBreakerOptions().setMaxFailures(1_000));
    options.getConnectOptions().setReconnectWindowMs(1_000);
    long start = System.nanoTime();
    SpeechStream stream = SttClient.create(vertx, options).stream();
    List<SpeechEvent> events = new CopyOnWriteArrayList<>();
    stream.handler(events::add);
    stream.exceptionHandler(err -> ctx.verify(() -> {
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(SttErrorCode.RETRIES_EXHAUSTED, ((SttException) err).code());
      // not before the window (a busy machine only makes it later); the upper bound is loose on
      // purpose, it had 2 s of room and a loaded machine used them up: a stream that went on
      // retrying at its longest delay for twenty more attempts misses it, a late timer does not
      long boundMs = 1_000 + 20 * options.getConnectOptions().getMaxDelayMs();
      assertTrue(elapsedMs >= 1_000, "gave up once the window had passed: " + elapsedMs + " ms");
      assertTrue(elapsedMs < boundMs, "gave up soon after the window: " + elapsedMs + " ms, bound " + boundMs);
      int attempts = gateway.connections.size();
      assertTrue(attempts > 4, "more retries than the count budget of 3 allows: " + attempts);
      List<SpeechEvent> errors = events.stream().filter(e -> e.type() == SpeechEventType.ERROR).toList();
      assertEquals(attempts, errors.size(), "one error per attempt");
      for (SpeechEvent e : errors.subList(0, attempts - 1)) {
        assertEquals("quota_exceeded", e.error().code());
        assertTrue(e.error().retryable(), "retried: marked retryable");
      }
      assertEquals("retries_exhausted", errors.get(attempts - 1).error().code());
      assertEquals(false, errors.get(attempts - 1).error().retryable());
      assertEquals(attempts - 1, events.stream().filter(e -> e.type() == SpeechEventType.RECONNECTING).count());
      ctx.completeNow();
    }));
  }

  @Test
  void aGatewayThatNeverAnswersTheUpgradeGivesAConnectTimeout(Vertx vertx, VertxTestContext ctx) {
    gateway.upgradeStatus = n -> 0;
    SttOptions options = gateway.options();
    options.getConnectOptions().setTimeoutMs(300).setReconnectWindowMs(0);
    SpeechStream stream = SttClient.create(vertx, options).stream();
    List<SpeechEvent> events = new CopyOnWriteArrayList<>();
    stream.handler(events::add);
    stream.exceptionHandler(err -> ctx.verify(() -> {
      assertEquals(SttErrorCode.RETRIES_EXHAUSTED, ((SttException) err).code());
      assertEquals(SttErrorCode.CONNECT_TIMEOUT, ((SttException) err.getCause()).code());
      assertEquals(1, gateway.connections.size());
      ctx.completeNow();
    }));
  }

  @Test
  void anUnreachableGatewayGivesConnectionFailedErrors(Vertx vertx, VertxTestContext ctx) {
    SttOptions options = gateway.options().setBaseUrl("ws://127.0.0.1:1/v1");
    options.getConnectOptions().setReconnectWindowMs(0);
    SpeechStream stream = SttClient.create(vertx, options).stream();
    stream.exceptionHandler(err -> ctx.verify(() -> {
      assertEquals(SttErrorCode.RETRIES_EXHAUSTED, ((SttException) err).code());
      assertEquals(SttErrorCode.CONNECTION_FAILED, ((SttException) err.getCause()).code());
      ctx.completeNow();
    }));
  }

  /**
   * The gateway finalizes the first 0.5 s, then drops the socket. The new connection must get the
   * unfinalized audio again, and its transcript times must be moved by the 0.5 s already final.
   */
  @Test
  void aDropMidStreamReconnectsResendsUnfinalizedAudioAndOffsetsTimes(Vertx vertx,
      VertxTestContext ctx) {
    byte[] second = new byte[16000];
    for (int i = 0; i < second.length; i++) {
      second[i] = (byte) (i % 251);
    }
    gateway.onFrame = (c, f) -> {
      String type = f.getString("type");
      if (c.index == 0) {
        if ("session.create".equals(type)) {
          c.send(new JsonObject().put("type", "session.created"));
        } else if ("input_audio".equals(type) && c.audio().length == 32000) {
          c.send(new JsonObject().put("type", "final_transcript").put("transcript", "first half")
              .put("start", 0.0).put("duration", 0.5));
          vertx.setTimer(50, t -> c.socket.close());
        }
        return;
      }
      if ("session.create".equals(type)) {
        c.send(new JsonObject().put("type", "session.created"));
      } else if ("session.finalize".equals(type)) {
        c.send(new JsonObject().put("type", "final_transcript").put("transcript", "second half")
            .put("start", 0.25).put("duration", 0.5)
            .put("words", new io.vertx.core.json.JsonArray().add(new JsonObject()
                .put("word", "second").put("start", 0.25).put("end", 0.5))));
        c.send(new JsonObject().put("type", "session.finalized"));
      } else if ("session.close".equals(type)) {
        c.send(new JsonObject().put("type", "session.closed"));
      }
    };
    List<SpeechEvent> events = new CopyOnWriteArrayList<>();
    // on the stream's event loop, so that the second connection cannot open before its script is set
    vertx.runOnContext(start -> {
      SpeechStream stream = SttClient.create(vertx, gateway.options()).stream();
      gateway.onFrame = wrapSecondWrite(gateway.onFrame, stream, second);
      stream.handler(events::add);
      stream.write(Buffer.buffer(new byte[16000]));
      stream.write(Buffer.buffer(new byte[16000]));
      stream.endHandler(v -> ctx.verify(() -> {
        assertEquals(2, gateway.connections.size());
        assertEquals(32000, gateway.connection(0).audio().length);
        byte[] resent = gateway.connection(1).audio();
        assertEquals(16000 + second.length, resent.length,
            "the unfinalized second 0.5 s is sent again, then the new audio");
        byte[] tail = java.util.Arrays.copyOfRange(resent, 16000, resent.length);
        assertArrayEquals(second, tail);
        List<SpeechEvent> finals = events.stream()
            .filter(e -> e.type() == SpeechEventType.FINAL_TRANSCRIPT).toList();
        assertEquals(List.of("first half", "second half"), finals.stream().map(SpeechEvent::text).toList());
        SpeechData d = finals.get(1).alternatives().get(0);
        assertEquals(0.75, d.startTime(), 1e-9, "0.5 s offset + 0.25 s");
        assertEquals(1.25, d.endTime(), 1e-9);
        assertEquals(0.75, d.words().get(0).startTime(), 1e-9);
        assertEquals(1, events.stream().filter(e -> e.type() == SpeechEventType.RECONNECTING).count());
        double usage = events.stream().filter(e -> e.type() == SpeechEventType.RECOGNITION_USAGE)
            .mapToDouble(SpeechEvent::audioDuration).sum();
        assertEquals(1.5, usage, 1e-9, "usage counts audio once, not its replay");
        ctx.completeNow();
      }));
    });
  }

  /** After the drop, writes the second block and ends the stream. */
  private static java.util.function.BiConsumer<ScriptedGateway.Connection, JsonObject> wrapSecondWrite(
      java.util.function.BiConsumer<ScriptedGateway.Connection, JsonObject> inner, SpeechStream stream,
      byte[] second) {
    return (c, f) -> {
      inner.accept(c, f);
      if (c.index == 1 && "session.create".equals(f.getString("type"))) {
        stream.write(Buffer.buffer(second));
        stream.end();
      }
    };
  }

  @Test
  void theRetryBudgetResetsOnceAConnectionCarriedAFinalTranscript(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if ("session.create".equals(f.getString("type"))) {
        c.send(new JsonObject().put("type", "session.created"));
        c.send(new JsonObject().put("type", "final_transcript").put("transcript", "on " + c.index));
        if (c.index < 5) {
          vertx.setTimer(20, t -> c.socket.close());
        }
      }
    };
    SttOptions options = gateway.options();
    options.getConnectOptions().setMaxRetry(1);
    SpeechStream stream = SttClient.create(vertx, options).stream();
    stream.handler(e -> {
      if (e.type() == SpeechEventType.FINAL_TRANSCRIPT && e.text().equals("on 5")) {
        ctx.verify(() -> {
          assertEquals(6, gateway.connections.size(), "five drops survived with a budget of one");
          stream.close();
          ctx.completeNow();
        });
      }
    });
    stream.exceptionHandler(ctx::failNow);
  }

  @Test
  void aGatewayThatAcceptsEverySessionAndDropsItExhaustsTheBudget(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if ("session.create".equals(f.getString("type"))) {
        c.send(new JsonObject().put("type", "session.created"));
        vertx.setTimer(20, t -> c.socket.close());
      }
    };
    SttOptions options = gateway.options();
    options.getConnectOptions().setMaxRetry(2);
    SpeechStream stream = SttClient.create(vertx, options).stream();
    stream.exceptionHandler(err -> ctx.verify(() -> {
      assertEquals(SttErrorCode.RETRIES_EXHAUSTED, ((SttException) err).code());
      assertEquals(SttErrorCode.CONNECTION_CLOSED, ((SttException) err.getCause()).code());
      assertEquals(3, gateway.connections.size(), "session.created proves nothing: one attempt, two retries");
      ctx.completeNow();
    }));
  }

  @Test
  void aConnectionThatStaysUpForHealthyAfterMsResetsTheBudget(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if ("session.create".equals(f.getString("type"))) {
        c.send(new JsonObject().put("type", "session.created"));
        if (c.index < 3) {
          vertx.setTimer(300, t -> c.socket.close());
        } else {
          c.send(new JsonObject().put("type", "final_transcript").put("transcript", "made it"));
        }
      }
    };
    SttOptions options = gateway.options();
    options.getConnectOptions().setMaxRetry(1).setHealthyAfterMs(150);
    SpeechStream stream = SttClient.create(vertx, options).stream();
    stream.handler(e -> {
      if (e.type() == SpeechEventType.FINAL_TRANSCRIPT) {
        ctx.verify(() -> {
          assertEquals(4, gateway.connections.size(), "three drops after 300 ms survived with a budget of one");
          stream.close();
          ctx.completeNow();
        });
      }
    });
    stream.exceptionHandler(ctx::failNow);
  }

  @Test
  void everyTransitionIsPublishedToTheStateHandlerWithItsCause(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if ("session.create".equals(f.getString("type")) && c.index == 0) {
        vertx.setTimer(20, t -> c.socket.close());
      } else {
        ScriptedGateway.cooperative(c, f);
      }
    };
    // on the stream's event loop, so that the first CONNECTED cannot come before the handler is set
    vertx.runOnContext(start -> {
      SpeechStream stream = SttClient.create(vertx, gateway.options()).stream();
      List<StreamStateEvent> changes = new CopyOnWriteArrayList<>();
      stream.stateHandler(changes::add);
      stream.handler(e -> {
        if (e.type() == SpeechEventType.RECONNECTING) {
          stream.write(Buffer.buffer(new byte[3200]));
          stream.end();
        }
      });
      stream.endHandler(v -> ctx.verify(() -> {
        assertEquals(List.of(StreamPhase.CONNECTED, StreamPhase.BACKING_OFF, StreamPhase.CONNECTING,
            StreamPhase.CONNECTED, StreamPhase.AWAITING_FINAL, StreamPhase.AWAITING_QUIET, StreamPhase.CLOSING,
            StreamPhase.CLOSED), changes.stream().map(StreamStateEvent::phase).toList());
        assertEquals(List.of(StreamState.CONNECTED, StreamState.WAITING_TO_RECONNECT, StreamState.CONNECTING,
            StreamState.CONNECTED, StreamState.FINISHING, StreamState.FINISHING, StreamState.FINISHING,
            StreamState.CLOSED), changes.stream().map(StreamStateEvent::state).toList(),
            "every phase shows as its state; the finishing steps are all FINISHING");
        assertEquals(SttErrorCode.CONNECTION_CLOSED, changes.get(1).cause().code());
        assertNull(changes.get(7).cause(), "ended normally");
        ctx.completeNow();
      }));
    });
  }

  @Test
  void sessionClosedBeforeTheInputEndedIsRetried(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
      if ("session.create".equals(f.getString("type"))) {
        if (c.index == 0) {
          c.send(new JsonObject().put("type", "session.closed"));
        } else {
          c.send(new JsonObject().put("type", "final_transcript").put("transcript", "again"));
        }
      }
    };
    SpeechStream stream = SttClient.create(vertx, gateway.options()).stream();
    List<SpeechEvent> events = new CopyOnWriteArrayList<>();
    stream.handler(e -> {
      events.add(e);
      if (e.type() == SpeechEventType.FINAL_TRANSCRIPT) {
        ctx.verify(() -> {
          assertEquals("session_closed", events.get(0).error().code());
          assertEquals(SpeechEventType.RECONNECTING, events.get(1).type());
          stream.close();
          ctx.completeNow();
        });
      }
    });
  }

  @Test
  void writesBeyondTheHardLimitAreRefusedWhileTheGatewayIsAway(Vertx vertx, VertxTestContext ctx) {
    gateway.upgradeStatus = n -> 0;
    SttOptions options = gateway.options().setMaxBufferedBytes(8000).setWriteQueueMaxSize(4000);
    SpeechStream stream = SttClient.create(vertx, options).stream();
    stream.write(Buffer.buffer(new byte[6400])).compose(v -> {
      ctx.verify(() -> assertTrue(stream.writeQueueFull()));
      return stream.write(Buffer.buffer(new byte[3200]));
    }).onComplete(ctx.failing(err -> ctx.verify(() -> {
      assertEquals(SttErrorCode.BUFFER_FULL, ((SttException) err).code());
      assertEquals(6400, stream.bufferedBytes(), "the refused write left nothing behind");
      stream.close();
      ctx.completeNow();
    })));
  }

  @Test
  void closeAbortsAtOnceWithoutWaitingForTranscripts(Vertx vertx, VertxTestContext ctx) {
    gateway.onFrame = (c, f) -> {
    };
    SpeechStream stream = SttClient.create(vertx, gateway.options()).stream();
    stream.write(Buffer.buffer(new byte[3200]));
    vertx.setTimer(100, t -> stream.close().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertEquals(StreamState.CLOSED, stream.state());
      ctx.completeNow();
    }))));
  }
}
