package org.voicerelay.stt.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

/**
 * LoadBench's sessions on the event bus: opens them ({@code stt.open}) at once or ramped, counts
 * the refusals, and keeps per session what was sent and what its events said (the final's bytes and
 * CRC32, the end-of-utterance latency, errors, reconnects, closes).
 */
final class BusSessions {

  private final Vertx vertx;
  int n;
  String eventsPrefix = "app.bench.";
  JsonObject[] sessions;
  /** Each session's audio address, read once from its open reply. */
  String[] audioAddresses;
  long[] bytesSent;
  CRC32[] crcs;
  volatile long[] endSentAt;
  long[] finalAt;
  /** Per session: session.finalize at the gateway -> its final delivered to the events address (us). */
  long[] finalizeToFinalUs;
  /** Every final that answered a finalize: {when the gateway took the finalize (us), its latency (us)}. */
  final java.util.Queue<long[]> finalizeLatencies = new java.util.concurrent.ConcurrentLinkedQueue<>();
  long[] finalBytes;
  long[] finalChecksum;
  CountDownLatch closedLatch;
  /** Indexes of the sessions the verticle admitted, and the refusals of the others by failure code. */
  int[] admitted;
  private final Map<String, Integer> refusals = new java.util.TreeMap<>();
  final AtomicInteger errorEvents = new AtomicInteger();
  final AtomicInteger reconnectEvents = new AtomicInteger();
  final AtomicInteger closedEvents = new AtomicInteger();
  /** Load mode: the sessions admitted so far, in order; replaced (never changed) as opens succeed. */
  volatile int[] active = new int[0];

  BusSessions(Vertx vertx) {
    this.vertx = vertx;
  }

  void prepare(int count) {
    n = count;
    sessions = new JsonObject[n];
    audioAddresses = new String[n];
    bytesSent = new long[n];
    crcs = new CRC32[n];
    endSentAt = new long[n];
    finalAt = new long[n];
    finalizeToFinalUs = new long[n];
    finalBytes = new long[n];
    finalChecksum = new long[n];
    refusals.clear();
    for (int i = 0; i < n; i++) {
      crcs[i] = new CRC32();
      finalBytes[i] = -1;
    }
  }

  /** Registers the events consumer of each session, before any is opened. */
  private void listenToEvents() {
    List<Future<?>> consumers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int s = i;
      consumers.add(vertx.eventBus().<JsonObject>consumer(eventsPrefix + i, m -> onEvent(s, m.body()))
          .completion());
    }
    LoadBench.join(Future.all(consumers));
  }

  /** Asks the verticle for session {@code s}; {@code admitted} runs with it if it is admitted. */
  private Future<?> open(int s, Runnable admitted) {
    return vertx.eventBus().<JsonObject>request("stt.open", new JsonObject().put("sampleRate", LoadBench.RATE)
            .put("eventsAddress", eventsPrefix + s), new DeliveryOptions().setSendTimeout(60_000))
        .onSuccess(m -> {
          sessions[s] = m.body();
          audioAddresses[s] = m.body().getString("audioAddress");
          admitted.run();
        })
        .onFailure(this::countRefusal);
  }

  /**
   * Registers the events consumer of each session, then opens the sessions, 200 at a time; the
   * sessions the verticle refuses (503 overloaded, 429) are counted and left out of the run.
   */
  void openAll() {
    listenToEvents();
    for (int from = 0; from < n; from += 200) {
      List<Future<?>> opened = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 200); i++) {
        opened.add(open(i, () -> { }));
      }
      LoadBench.join(Future.join(opened).otherwiseEmpty());
    }
    admitted = java.util.stream.IntStream.range(0, n).filter(i -> sessions[i] != null).toArray();
    closedLatch = new CountDownLatch(admitted.length);
  }

  /**
   * Opens the sessions in waves every 500 ms over {@code seconds}, while the sessions already
   * admitted stream: the node sees its real load grow and its admission control decides, as it
   * would in a fleet where calls arrive over time. An admitted session starts streaming at the
   * next tick.
   */
  Thread rampOpens(int seconds) {
    listenToEvents();
    int waves = Math.max(1, seconds * 2);
    Thread opener = new Thread(() -> {
      long start = System.nanoTime();
      List<Future<?>> all = new ArrayList<>();
      for (int w = 0; w < waves; w++) {
        long due = start + TimeUnit.MILLISECONDS.toNanos(500L * w);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        for (int i = w * n / waves; i < (w + 1) * n / waves; i++) {
          int s = i;
          all.add(open(s, () -> {
            synchronized (this) {
              int[] grown = Arrays.copyOf(active, active.length + 1);
              grown[grown.length - 1] = s;
              active = grown;
            }
          }));
        }
      }
      LoadBench.join(Future.join(all).otherwiseEmpty());
    }, "bench-opener");
    opener.start();
    return opener;
  }

  private void countRefusal(Throwable err) {
    String code = err instanceof io.vertx.core.eventbus.ReplyException e && e.failureCode() > 0
        ? e.failureCode() + " " + org.voicerelay.stt.bus.BusErrorCode.name(e.failureCode()) + overloadCause(e)
        : String.valueOf(err.getMessage());
    synchronized (refusals) {
      refusals.merge(code, 1, Integer::sum);
    }
  }

  /** Why a 503 was answered, from the wording of its message (docs/operations.md). */
  private static String overloadCause(io.vertx.core.eventbus.ReplyException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("(maxAdmissionsPerSecond)") ? " (admission rate)"
        : m.contains("event loops lag") ? " (event-loop lag)"
        : m.contains("audio budget") ? " (audio budget)"
        : m.contains("buffer") ? " (buffered audio)" : "";
  }

  /** {@code admitted A of N sessions (refused: 503 overloaded (admission rate) x K, ...)}. */
  String admissionLine() {
    StringBuilder b = new StringBuilder().append("admitted ").append(admitted.length).append(" of ").append(n)
        .append(" sessions");
    if (!refusals.isEmpty()) {
      b.append(" (refused: ");
      refusals.forEach((code, count) -> b.append(code).append(" x ").append(count).append(", "));
      b.setLength(b.length() - 2);
      b.append(')');
    }
    return b.toString();
  }

  /** How many admitted sessions' last final counts every byte sent, with the CRC32 of what was sent. */
  int everyByte() {
    int complete = 0;
    for (int i : admitted) {
      if (finalBytes[i] == bytesSent[i] && finalChecksum[i] == crcs[i].getValue()) {
        complete++;
      }
    }
    return complete;
  }

  /** Sends {@code flush} to session {@code s}: the end of a turn, answered by a final. */
  void flush(int s) {
    vertx.eventBus().send(sessions[s].getString("controlAddress"), new JsonObject().put("action", "flush"));
  }

  /** Latencies (us) of the finals that answered a finalize the gateway took in [fromUs, toUs), sorted. */
  long[] finalizeLatencies(long fromUs, long toUs) {
    return finalizeLatencies.stream().filter(e -> e[0] >= fromUs && e[0] < toUs).mapToLong(e -> e[1]).sorted().toArray();
  }

  /** Sends {@code end} to session {@code s}, noting when. */
  void end(int s) {
    endSentAt[s] = System.nanoTime();
    vertx.eventBus().request(sessions[s].getString("controlAddress"), new JsonObject().put("action", "end"),
        new DeliveryOptions().setSendTimeout(120_000));
  }

  private void onEvent(int s, JsonObject event) {
    switch (event.getString("type")) {
      case "final_transcript" -> {
        long now = BenchGatewayMain.nowMicros();
        // the bus event's metadata, or the gateway's own message as the floor relay forwards it
        JsonObject meta = event.containsKey("alternatives")
            ? event.getJsonArray("alternatives").getJsonObject(0).getJsonObject("metadata")
            : event.getJsonObject("extra");
        if (endSentAt[s] != 0 && finalAt[s] == 0) {
          finalAt[s] = System.nanoTime();
        }
        if (meta != null && meta.containsKey(BenchGatewayMain.FINALIZE_AT)) {
          long at = meta.getLong(BenchGatewayMain.FINALIZE_AT);
          finalizeToFinalUs[s] = now - at;
          finalizeLatencies.add(new long[] {at, now - at});
        }
        if (meta != null) {
          finalBytes[s] = meta.getLong("totalBytes");
          finalChecksum[s] = meta.getLong("totalChecksum");
        }
      }
      case "error" -> errorEvents.incrementAndGet();
      case "reconnecting" -> reconnectEvents.incrementAndGet();
      case "closed" -> {
        closedEvents.incrementAndGet();
        if (closedLatch != null) {
          closedLatch.countDown();
        }
      }
      default -> {
      }
    }
  }

  /** Waits until every session's stream is connected to the gateway. */
  void awaitConnected() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      List<Future<Message<JsonObject>>> status = new ArrayList<>();
      for (int i : admitted) {
        JsonObject s = sessions[i];
        status.add(vertx.eventBus().request(s.getString("controlAddress"), new JsonObject().put("action", "status")));
      }
      LoadBench.join(Future.all(status));
      long connected = status.stream()
          .filter(f -> "CONNECTED".equals(f.result().body().getJsonObject("stream").getString("state"))).count();
      if (connected == admitted.length) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("not every session connected within 120 s");
  }
}
