package org.voicerelay.stt.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamState;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.client.SttOptions;

/**
 * The outage of issue 11: a gateway that accepts every session, answers {@code session.created}
 * and drops the socket 800 ms later, while 60 streams of one client stream audio in real time.
 * Before backoff, proof of health and the breaker this made 32 connections per stream, 27
 * streams reconnecting inside one 100 ms window.
 *
 * <p>"Spread out" is measured as the issue measured the storm: no 100 ms window holds the
 * reconnects of 30 % of the streams.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class ReconnectStormTest {

  private static final int STREAMS = 60;
  private static final long DROP_AFTER_MS = 800;
  private static final int CHUNK = 3_200; // 100 ms at 16 kHz

  /** Accepts, says session.created, drops 800 ms later; counts upgrades. */
  private static Future<HttpServer> acceptThenDrop(Vertx vertx, AtomicInteger upgrades) {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
            .setMaxWebSocketFrameSize(1 << 20))
        .requestHandler(request -> {
          upgrades.incrementAndGet();
          request.toWebSocket().onSuccess(ws -> ws.textMessageHandler(text -> {
            if ("session.create".equals(new JsonObject(text).getString("type"))) {
              ws.writeTextMessage(new JsonObject().put("type", "session.created").encode());
              vertx.setTimer(DROP_AFTER_MS, t -> ws.close());
            }
          }));
        })
        .listen();
  }

  @Test
  void sixtyStreamsAgainstAGatewayThatAcceptsAndDropsEachGiveUpOnceWithinTheirBudgetWithoutAHerd(
      Vertx vertx, VertxTestContext ctx) {
    AtomicInteger upgrades = new AtomicInteger();
    acceptThenDrop(vertx, upgrades).onComplete(ctx.succeeding(server -> {
      SttOptions options = new SttOptions()
          .setBaseUrl("http://127.0.0.1:" + server.actualPort() + "/v1")
          .setApiKey("storm-key").setApiSecret("storm-secret-that-is-long-enough-0123456789")
          // probes every 3 s instead of 5 s, to keep the test short; everything else as shipped
          .setCircuitBreakerOptions(SttOptions.defaultCircuitBreakerOptions().setResetTimeout(3_000));
      int maxRetry = options.getConnectOptions().getMaxRetry();
      SttClient client = SttClient.create(vertx, options);
      List<CircuitBreakerState> circuit = new CopyOnWriteArrayList<>();
      client.circuitStateHandler(circuit::add);

      long start = System.nanoTime();
      List<Long> reconnectTimesMs = Collections.synchronizedList(new ArrayList<>());
      List<Integer> connectionsPerStream = Collections.synchronizedList(new ArrayList<>());
      List<List<SpeechEvent>> errorsPerStream = Collections.synchronizedList(new ArrayList<>());
      List<SpeechStream> streams = new ArrayList<>();
      List<Future<Throwable>> failures = new ArrayList<>();
      for (int i = 0; i < STREAMS; i++) {
        SpeechStream stream = client.stream();
        AtomicInteger connections = new AtomicInteger();
        List<SpeechEvent> errors = new CopyOnWriteArrayList<>();
        Promise<Throwable> failed = Promise.promise();
        stream.stateHandler(change -> {
          if (change.state() == StreamState.CONNECTED && connections.incrementAndGet() > 1) {
            reconnectTimesMs.add((System.nanoTime() - start) / 1_000_000);
          }
        });
        stream.handler(e -> {
          if (e.type() == SpeechEventType.ERROR) {
            errors.add(e);
          }
        });
        stream.exceptionHandler(failed::tryComplete);
        stream.endHandler(v -> {
          connectionsPerStream.add(connections.get());
          errorsPerStream.add(errors);
        });
        streams.add(stream);
        failures.add(failed.future());
      }
      long audio = vertx.setPeriodic(100, t -> streams.forEach(s -> {
        if (s.state() != StreamState.CLOSED) {
          s.write(Buffer.buffer(new byte[CHUNK]));
        }
      }));

      Future.all(failures).onComplete(ctx.succeeding(all -> vertx.setTimer(200, t -> ctx.verify(() -> {
        vertx.cancelTimer(audio);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs < 30_000, "every stream gave up within 30 s of audio: " + elapsedMs + " ms");
        for (Future<Throwable> f : failures) {
          SttException e = (SttException) f.result();
          assertEquals(SttErrorCode.RETRIES_EXHAUSTED, e.code(), e.getMessage());
        }
        assertEquals(STREAMS, connectionsPerStream.size(), "every stream ended");
        for (int n : connectionsPerStream) {
          assertTrue(n >= 1 && n <= maxRetry + 1, "connections of one stream: " + n);
        }
        int total = connectionsPerStream.stream().mapToInt(Integer::intValue).sum();
        assertEquals(upgrades.get(), total, "every upgrade the gateway saw is counted");
        assertTrue(total <= STREAMS + 2 * maxRetry,
            "the open breaker's probe stood in for the streams' own attempts: " + total + " connections");
        for (List<SpeechEvent> errors : errorsPerStream) {
          List<SpeechEvent> terminal = errors.stream().filter(e -> !e.error().retryable()).toList();
          assertEquals(1, terminal.size(), "one clear non-retryable error per stream: " + terminal);
          assertEquals("retries_exhausted", terminal.get(0).error().code());
        }
        List<Long> times = new ArrayList<>(reconnectTimesMs);
        Collections.sort(times);
        int busiest = 0;
        for (int i = 0, j = 0; i < times.size(); i++) {
          while (times.get(i) - times.get(j) >= 100) {
            j++;
          }
          busiest = Math.max(busiest, i - j + 1);
        }
        System.out.printf("storm: %d streams, %d connections (%d reconnects), busiest 100 ms window %d, "
            + "all gave up after %d ms, circuit %s%n", STREAMS, total, times.size(), busiest, elapsedMs, circuit);
        assertTrue(busiest < 0.3 * STREAMS, "reconnects in the busiest 100 ms window: " + busiest
            + " of " + STREAMS + " streams (" + times + ")");
        assertTrue(circuit.contains(CircuitBreakerState.OPEN), "the breaker opened: " + circuit);
        assertTrue(circuit.contains(CircuitBreakerState.HALF_OPEN), "and probed: " + circuit);
        client.close().onComplete(v -> ctx.completeNow());
      }))));
    }));
  }
}
