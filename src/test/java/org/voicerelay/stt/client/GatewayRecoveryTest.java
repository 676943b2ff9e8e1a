package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * How a client's streams come back after the gateway does: the circuit's probe is proven by the
 * gateway's answer to audio (no final needed), parked streams are released by slow start, a
 * released stream that is dropped re-parks the rest, a lone stream's retries never open the circuit,
 * streams that come back together send the start of their replay until all are answered, the
 * audio held during an outage is replayed as fast as the gateway answers it, never more than a
 * second ahead of its answers, and a stream the gateway answered has a whole reconnect window
 * again. The gateway here
 * answers every audio frame with an interim transcript and sends finals only when asked.
 */
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class GatewayRecoveryTest extends OnScriptedGateway {

  private static final int FRAME_BYTES = 3_200; // 100 ms at 16 kHz
  /** How many parked streams each answered stream lets in (the client's slow start). */
  private static final int RELEASED_PER_ANSWER = 4;

  /** Answers each audio frame with an interim that reaches the end of the audio received; otherwise cooperative. */
  private static void answersAudio(ScriptedGateway.Connection c, JsonObject frame) {
    if ("input_audio".equals(frame.getString("type"))) {
      c.send(new JsonObject().put("type", "interim_transcript").put("transcript", "hearing")
          .put("start", 0.0).put("duration", c.audio().length / 32_000.0));
    } else {
      ScriptedGateway.cooperative(c, frame);
    }
  }

  /** Streams that each write a 100 ms frame every 100 ms until told to end. */
  private static final class Talkers {
    final List<SpeechStream> streams = new ArrayList<>();
    final List<ByteArrayOutputStream> written = new ArrayList<>();
    final List<Future<Void>> ended = new ArrayList<>();
    private final long timer;

    Talkers(Vertx vertx, SttClient client, int count) {
      for (int i = 0; i < count; i++) {
        SpeechStream stream = client.stream();
        streams.add(stream);
        written.add(new ByteArrayOutputStream());
        Promise<Void> end = Promise.promise();
        stream.endHandler(end::tryComplete);
        stream.exceptionHandler(end::tryFail);
        ended.add(end.future());
      }
      byte[] seq = new byte[1];
      timer = vertx.setPeriodic(100, t -> {
        for (int i = 0; i < streams.size(); i++) {
          byte[] frame = new byte[FRAME_BYTES];
          java.util.Arrays.fill(frame, seq[0]++);
          written.get(i).writeBytes(frame);
          streams.get(i).write(Buffer.buffer(frame));
        }
      });
    }

    Future<Void> end(Vertx vertx) {
      vertx.cancelTimer(timer);
      streams.forEach(SpeechStream::end);
      return Future.all(ended).mapEmpty();
    }
  }

  @Test
  void aProbeAnsweredWithoutAFinalReleasesTheParkedStreamsInGrowingBatches(Vertx vertx, VertxTestContext ctx) {
    int streams = 15;
    SttClient[] client = new SttClient[1];
    AtomicBoolean opened = new AtomicBoolean();
    // down until the circuit opened; then up for the probe and everything after it
    gateway.upgradeStatus = n -> opened.get() && client[0].circuitState() != CircuitBreakerState.OPEN ? 101 : 503;
    List<long[]> acceptedAtAnswered = new CopyOnWriteArrayList<>(); // {answered connections so far}
    Map<Integer, Boolean> answered = new ConcurrentHashMap<>();
    gateway.onFrame = (c, frame) -> {
      if ("session.create".equals(frame.getString("type"))) {
        acceptedAtAnswered.add(new long[] {answered.size()});
      }
      if ("input_audio".equals(frame.getString("type"))) {
        answered.put(c.index, true);
      }
      answersAudio(c, frame);
    };
    List<CircuitBreakerState> circuit = new CopyOnWriteArrayList<>();
    AtomicInteger finalizesBeforeClosed = new AtomicInteger(-1);
    SttOptions options = gateway.options()
        .setCircuitBreakerOptions(SttOptions.defaultCircuitBreakerOptions().setResetTimeout(300));
    client[0] = SttClient.create(vertx, options);
    client[0].circuitStateHandler(state -> {
      circuit.add(state);
      if (state == CircuitBreakerState.OPEN) {
        opened.set(true);
      }
      if (state == CircuitBreakerState.CLOSED) {
        finalizesBeforeClosed.set((int) gateway.allFrames().stream()
            .filter(f -> "session.finalize".equals(f.getString("type"))).count());
      }
    });
    Talkers talkers = new Talkers(vertx, client[0], streams);
    vertx.setTimer(4_000, t -> talkers.end(vertx).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertEquals(List.of(CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN, CircuitBreakerState.CLOSED),
          circuit, "opened, probed once, closed");
      assertEquals(0, finalizesBeforeClosed.get(), "the probe was proven before any final was asked for");
      assertEquals(streams, acceptedAtAnswered.size(), "every stream connected once: " + acceptedAtAnswered.size());
      for (int k = 0; k < acceptedAtAnswered.size(); k++) {
        long answeredBefore = acceptedAtAnswered.get(k)[0];
        assertTrue(k <= RELEASED_PER_ANSWER * answeredBefore, "connection " + k + " was let in when only "
            + answeredBefore + " connections had been answered: slow start lets in four per answered one");
      }
      assertTrue(acceptedAtAnswered.get(1)[0] >= 1, "the first stream after the probe waited for the probe's answer");
      assertEveryByteOnALastConnection(talkers);
      ctx.completeNow();
    }))));
  }

  @Test
  void aReleasedStreamDroppedBeforeItIsAnsweredReparksTheRestUntilTheNextProbe(Vertx vertx, VertxTestContext ctx) {
    int streams = 8;
    SttClient[] client = new SttClient[1];
    AtomicBoolean opened = new AtomicBoolean();
    gateway.upgradeStatus = n -> opened.get() && client[0].circuitState() != CircuitBreakerState.OPEN ? 101 : 503;
    List<CircuitBreakerState> stateAtAccept = new CopyOnWriteArrayList<>();
    AtomicInteger dropped = new AtomicInteger();
    gateway.onFrame = (c, frame) -> {
      if ("session.create".equals(frame.getString("type"))) {
        CircuitBreakerState state = client[0].circuitState();
        stateAtAccept.add(state);
        // the streams let in after the probe (the batch it released): accepted, then dropped
        if (state != CircuitBreakerState.HALF_OPEN && opened.get() && stateAtAccept.size() > 1
            && dropped.get() < RELEASED_PER_ANSWER) {
          dropped.incrementAndGet();
          c.send(new JsonObject().put("type", "session.created"));
          c.socket.close();
          return;
        }
      }
      answersAudio(c, frame);
    };
    List<CircuitBreakerState> circuit = new CopyOnWriteArrayList<>();
    client[0] = SttClient.create(vertx, gateway.options()
        .setCircuitBreakerOptions(SttOptions.defaultCircuitBreakerOptions().setResetTimeout(300)));
    client[0].circuitStateHandler(state -> {
      circuit.add(state);
      if (state == CircuitBreakerState.OPEN) {
        opened.set(true);
      }
    });
    Talkers talkers = new Talkers(vertx, client[0], streams);
    vertx.setTimer(5_000, t -> talkers.end(vertx).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertEquals(List.of(CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN, CircuitBreakerState.CLOSED,
          CircuitBreakerState.OPEN, CircuitBreakerState.HALF_OPEN, CircuitBreakerState.CLOSED), circuit,
          "the dropped batch re-opened the circuit, and a second probe closed it");
      assertEquals(CircuitBreakerState.HALF_OPEN, stateAtAccept.get(0), "the probe first: " + stateAtAccept);
      assertEquals(1 + RELEASED_PER_ANSWER, stateAtAccept.subList(1, stateAtAccept.size())
          .indexOf(CircuitBreakerState.HALF_OPEN) + 1,
          "the probe, the batch it released, then nobody before the next probe: " + stateAtAccept);
      assertEquals(streams + RELEASED_PER_ANSWER, stateAtAccept.size(),
          "each stream connected once, the dropped batch twice");
      assertEveryByteOnALastConnection(talkers);
      ctx.completeNow();
    }))));
  }

  @Test
  void theProbeSendsTheFirstSecondOfItsHeldAudioAndTheRestOnceTheRampIsOver(Vertx vertx, VertxTestContext ctx) {
    int streams = 6;
    SttClient[] client = new SttClient[1];
    AtomicBoolean up = new AtomicBoolean();
    // down until 1.5 s after the circuit opened: every stream holds more than a second of audio
    gateway.upgradeStatus = n -> up.get() ? 101 : 503;
    AtomicInteger sessions = new AtomicInteger();
    Map<Integer, Integer> order = new ConcurrentHashMap<>(); // connection index -> nth session since up
    List<long[]> onProbe = new CopyOnWriteArrayList<>(); // {nanos, bytes} on the probe's connection
    long[] rampOverNanos = {Long.MAX_VALUE};
    gateway.onFrame = (c, frame) -> {
      String type = frame.getString("type");
      if ("session.create".equals(type)) {
        order.put(c.index, sessions.incrementAndGet());
      }
      int nth = order.getOrDefault(c.index, 0);
      if ("input_audio".equals(type) && nth == 1) {
        onProbe.add(new long[] {System.nanoTime(), Base64.getDecoder().decode(frame.getString("audio")).length});
      }
      if ("input_audio".equals(type) && nth == streams) {
        // the last stream let in is answered only 600 ms after its first audio: the ramp lasts that long
        if (rampOverNanos[0] == Long.MAX_VALUE) {
          rampOverNanos[0] = Long.MIN_VALUE;
          vertx.setTimer(600, t -> {
            rampOverNanos[0] = System.nanoTime();
            answersAudio(c, frame);
          });
        } else if (rampOverNanos[0] != Long.MIN_VALUE) {
          answersAudio(c, frame);
        }
        return;
      }
      answersAudio(c, frame);
    };
    client[0] = SttClient.create(vertx, gateway.options()
        .setCircuitBreakerOptions(SttOptions.defaultCircuitBreakerOptions().setResetTimeout(300)));
    client[0].circuitStateHandler(state -> {
      if (state == CircuitBreakerState.OPEN && !up.get()) {
        vertx.setTimer(1_500, t -> up.set(true));
      }
    });
    Talkers talkers = new Talkers(vertx, client[0], streams);
    vertx.setTimer(5_000, t -> talkers.end(vertx).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertEquals(streams, sessions.get(), "each stream connected once after the outage");
      long before = onProbe.stream().filter(a -> a[0] < rampOverNanos[0]).mapToLong(a -> a[1]).sum();
      long all = onProbe.stream().mapToLong(a -> a[1]).sum();
      assertTrue(before > 0 && before <= 32_000, "until the last stream was answered, the probe sent at most the"
          + " first second of its held audio: " + before + " bytes");
      assertTrue(all > 48_000, "then the rest of it: " + all + " bytes in all");
      assertEveryByteOnALastConnection(talkers);
      ctx.completeNow();
    }))));
  }

  @Test
  void streamsThatReconnectTogetherSendTheFirstSecondOfTheirReplayUntilEveryOneIsAnswered(Vertx vertx,
      VertxTestContext ctx) {
    int streams = 3;
    // no finals: by the drop every stream holds two seconds unfinalized, to be replayed
    AtomicBoolean dropped = new AtomicBoolean();
    AtomicLong releasedNanos = new AtomicLong(Long.MAX_VALUE);
    Map<Integer, AtomicInteger> bytesBeforeRelease = new ConcurrentHashMap<>();
    Map<Integer, AtomicInteger> bytesInAll = new ConcurrentHashMap<>();
    gateway.onFrame = (c, frame) -> {
      if (!dropped.get() || c.index < streams) {
        answersAudio(c, frame);
        return;
      }
      String type = frame.getString("type");
      if ("session.create".equals(type) && c.index == 2 * streams - 1) {
        // the last stream back is in: the gateway answers nobody for 600 ms more
        vertx.setTimer(600, t -> {
          releasedNanos.set(System.nanoTime());
          gateway.connections.stream().filter(back -> back.index >= streams).forEach(back -> answersAudio(back,
              new JsonObject().put("type", "input_audio")));
        });
      }
      if ("input_audio".equals(type)) {
        int bytes = Base64.getDecoder().decode(frame.getString("audio")).length;
        bytesInAll.computeIfAbsent(c.index, k -> new AtomicInteger()).addAndGet(bytes);
        if (System.nanoTime() < releasedNanos.get()) {
          bytesBeforeRelease.computeIfAbsent(c.index, k -> new AtomicInteger()).addAndGet(bytes);
          return;
        }
      }
      answersAudio(c, frame);
    };
    SttClient client = SttClient.create(vertx, gateway.options());
    Talkers talkers = new Talkers(vertx, client, streams);
    vertx.setTimer(2_000, t -> {
      dropped.set(true);
      gateway.connections.forEach(c -> c.socket.close());
    });
    vertx.setTimer(4_500, t -> talkers.end(vertx).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertEquals(2 * streams, gateway.connections.size(), "each stream reconnected once: " + gateway.connections.size());
      long sentMore = bytesBeforeRelease.values().stream().filter(b -> b.get() > 32_000).count();
      assertTrue(sentMore <= 1, "until every stream back was answered, only the first back sent more than the first"
          + " second of its replay: bytes per connection " + bytesBeforeRelease);
      assertTrue(bytesInAll.values().stream().allMatch(b -> b.get() > 48_000) && bytesInAll.size() == streams,
          "then each sent the rest: " + bytesInAll);
      assertEveryByteOnALastConnection(talkers);
      ctx.completeNow();
    }))));
  }

  @Test
  void aLoneStreamRetryingThroughAnOutageNeverOpensTheCircuit(Vertx vertx, VertxTestContext ctx) {
    AtomicBoolean down = new AtomicBoolean();
    AtomicInteger refused = new AtomicInteger();
    gateway.upgradeStatus = n -> {
      if (down.get()) {
        refused.incrementAndGet();
        return 503;
      }
      return 101;
    };
    gateway.onFrame = GatewayRecoveryTest::answersAudio;
    SttClient client = SttClient.create(vertx, gateway.options());
    List<CircuitBreakerState> circuit = new CopyOnWriteArrayList<>();
    client.circuitStateHandler(circuit::add);
    Talkers talkers = new Talkers(vertx, client, 1);
    vertx.setTimer(500, t -> {
      down.set(true);
      gateway.connections.get(0).socket.close();
    });
    vertx.setTimer(2_500, t -> down.set(false));
    vertx.setTimer(3_500, t -> talkers.end(vertx).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      int maxFailures = SttOptions.defaultCircuitBreakerOptions().getMaxFailures();
      assertTrue(refused.get() > maxFailures, "the stream was refused more often than maxFailures: " + refused);
      assertEquals(List.of(), circuit, "the circuit never left CLOSED");
      assertEveryByteOnALastConnection(talkers);
      ctx.completeNow();
    }))));
  }

  @Test
  void aStreamTheGatewayAnsweredAfterAnOutageHasAWholeReconnectWindowAgain(Vertx vertx, VertxTestContext ctx) {
    long windowMs = 2_000;
    AtomicBoolean down = new AtomicBoolean();
    gateway.upgradeStatus = n -> down.get() ? 503 : 101;
    // the connection after the outage answers the first audio, then drops 1.5 s later: by then the
    // run of failures is older than the window, but the gateway answered 1.5 s ago
    AtomicInteger firstAfterOutage = new AtomicInteger(-1);
    gateway.onFrame = (c, frame) -> {
      boolean audio = "input_audio".equals(frame.getString("type"));
      if (c.index > 0 && audio && firstAfterOutage.compareAndSet(-1, c.index)) {
        vertx.setTimer(1_500, t -> c.socket.close());
      }
      if (c.index == firstAfterOutage.get() && audio && c.audio().length > FRAME_BYTES) {
        return; // answers nothing more before it drops
      }
      answersAudio(c, frame);
    };
    SttClient client = SttClient.create(vertx, gateway.options()
        .setConnectOptions(new ConnectOptions().setMaxDelayMs(50).setReconnectWindowMs(windowMs)));
    Talkers talkers = new Talkers(vertx, client, 1);
    vertx.setTimer(300, t -> {
      down.set(true);
      gateway.connections.get(0).socket.close();
    });
    vertx.setTimer(300 + windowMs * 3 / 4, t -> down.set(false));
    vertx.setTimer(4_500, t -> talkers.end(vertx).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      assertTrue(firstAfterOutage.get() > 0, "a connection after the outage was answered");
      assertTrue(gateway.connections.size() > firstAfterOutage.get() + 1,
          "the stream connected again after the answered connection dropped");
      assertEveryByteOnALastConnection(talkers);
      ctx.completeNow();
    }))));
  }

  @Test
  void audioHeldDuringAnOutageIsReplayedAsFastAsTheSocketTakesItThenRealTimeResumes(Vertx vertx,
      VertxTestContext ctx) {
    long outageMs = 2_000;
    AtomicBoolean down = new AtomicBoolean();
    gateway.upgradeStatus = n -> down.get() ? 503 : 101;
    List<long[]> arrivals = new CopyOnWriteArrayList<>(); // {connection, nanos, bytes}
    AtomicInteger firstConnectionBytes = new AtomicInteger();
    gateway.onFrame = (c, frame) -> {
      if ("input_audio".equals(frame.getString("type"))) {
        int bytes = Base64.getDecoder().decode(frame.getString("audio")).length;
        arrivals.add(new long[] {c.index, System.nanoTime(), bytes});
        // once the first connection carried a second of audio: drop it and refuse upgrades for outageMs
        if (c.index == 0 && firstConnectionBytes.addAndGet(bytes) >= 32_000 && down.compareAndSet(false, true)) {
          c.socket.close();
          vertx.setTimer(outageMs, t -> down.set(false));
          return;
        }
      }
      answersAudio(c, frame);
    };
    SttClient client = SttClient.create(vertx, gateway.options());
    Talkers talkers = new Talkers(vertx, client, 1);
    SpeechStream stream = talkers.streams.get(0);
    JsonObject[] status = new JsonObject[1];
    vertx.setPeriodic(200, t -> {
      if (gateway.connections.size() > 1 && stream.status().getLong("deafForMs") == 0 && status[0] == null) {
        vertx.cancelTimer(t);
        vertx.setTimer(2_500, t2 -> {
          status[0] = stream.status();
          talkers.end(vertx).onComplete(ctx.succeeding(v -> ctx.verify(() -> verifyCatchUp(ctx, talkers, arrivals,
              status[0], outageMs))));
        });
      }
    });
  }

  @Test
  void aCatchUpIsPacedByTheGatewaysAnswers(Vertx vertx, VertxTestContext ctx) {
    long outageMs = 2_000;
    AtomicBoolean down = new AtomicBoolean();
    gateway.upgradeStatus = n -> down.get() ? 503 : 101;
    Map<Integer, AtomicLong> answeredBytes = new ConcurrentHashMap<>();
    List<long[]> ahead = new CopyOnWriteArrayList<>(); // {connection, bytes received beyond the last answer}
    gateway.onFrame = (c, frame) -> {
      if (!"input_audio".equals(frame.getString("type"))) {
        ScriptedGateway.cooperative(c, frame);
        return;
      }
      int received = c.audio().length;
      AtomicLong answered = answeredBytes.computeIfAbsent(c.index, i -> new AtomicLong());
      ahead.add(new long[] {c.index, received - answered.get()});
      if (c.index == 0 && received >= 32_000 && down.compareAndSet(false, true)) {
        c.socket.close();
        vertx.setTimer(outageMs, t -> down.set(false));
        return;
      }
      // a slow gateway: each answer comes 300 ms after the audio it covers
      vertx.setTimer(300, t -> {
        answered.accumulateAndGet(received, Math::max);
        c.send(new JsonObject().put("type", "interim_transcript").put("transcript", "hearing")
            .put("start", 0.0).put("duration", received / 32_000.0));
      });
    };
    Talkers talkers = new Talkers(vertx, SttClient.create(vertx, gateway.options()), 1);
    vertx.setTimer(1_000 + outageMs + 3_000, t -> talkers.end(vertx).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      int last = gateway.connections.get(gateway.connections.size() - 1).index;
      assertTrue(last > 0, "the stream reconnected");
      long onLast = ahead.stream().filter(a -> a[0] == last).count();
      long worst = ahead.stream().filter(a -> a[0] == last).mapToLong(a -> a[1]).max().orElse(0);
      // a second of catch-up, a chunk, and the real-time audio written while an answer was on its
      // way (300 ms) when the catch-up ended; sent at once, the 3 s held would have been there
      assertTrue(worst <= 48_000, "on the connection after the outage the gateway never had more than"
          + " 1.5 s of audio beyond its last answer: " + worst + " bytes in " + onLast + " frames");
      long replayed = gateway.connections.get(last).audio().length;
      assertTrue(replayed >= (1 + outageMs / 1000 + 3) * 32_000 * 9 / 10, "and it caught up: " + replayed + " bytes");
      assertEveryByteOnALastConnection(talkers);
      ctx.completeNow();
    }))));
  }

  private void verifyCatchUp(VertxTestContext ctx, Talkers talkers, List<long[]> arrivals, JsonObject status, long outageMs) {
    int last = gateway.connections.get(gateway.connections.size() - 1).index;
    List<long[]> onLast = arrivals.stream().filter(a -> a[0] == last).toList();
    long first = onLast.get(0)[1];
    double caughtUp = onLast.stream().filter(a -> a[1] - first <= 2_000_000_000L).mapToLong(a -> a[2]).sum() / 32_000.0;
    assertTrue(caughtUp >= 1 + outageMs / 1000.0, "within 2 s of the reconnect the gateway got " + caughtUp
        + " s of audio, at least the second before the drop and the outage's: a replay paced in real time"
        + " would have sent 2 s");
    assertTrue(status.getLong("bufferedBytes") <= 2 * FRAME_BYTES, "then real time again, nothing waiting: "
        + status.encode());
    long deaf = status.getLong("longestDeafMs");
    assertTrue(deaf >= outageMs && deaf < outageMs + 5_000, "the deaf spell covered the outage: " + deaf + " ms");
    assertEquals(0L, status.getLong("deafForMs"), "and is over: " + status);
    assertEveryByteOnALastConnection(talkers);
    ctx.completeNow();
  }

  /** Nothing lost: each stream's last connection carried everything it wrote, in order. */
  private void assertEveryByteOnALastConnection(Talkers talkers) {
    for (int i = 0; i < talkers.streams.size(); i++) {
      byte[] written = talkers.written.get(i).toByteArray();
      assertFalse(talkers.ended.get(i).failed(), "stream " + i + " failed: " + talkers.ended.get(i).cause());
      boolean carried = gateway.connections.stream().anyMatch(c -> java.util.Arrays.equals(c.audio(), written));
      assertTrue(carried, "stream " + i + ": a connection carried all " + written.length + " bytes it wrote");
    }
  }
}
