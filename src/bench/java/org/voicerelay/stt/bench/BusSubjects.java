package org.voicerelay.stt.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.voicerelay.stt.bus.AdmissionOptions;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.client.SttOptions;

/**
 * The fault bench's sessions of one {@link SttVerticle} node through the in-process event bus, by
 * the bus contract: {@code stt.open} (with {@code roomId}, and {@code "resumable": true} on the
 * resumable path), audio Buffers sent to the session's audio address, events read on
 * {@code app.fault.<i>}, {@code end} on its control address. The verticle's client has its default
 * options (base URL and credentials only); the node admits every session at once (no admission
 * rate, an audio budget for all of them), so admission is not what is measured.
 */
final class BusSubjects extends PacedSubjects {

  /** Audio chunks refused by their session, by error code (any thread). */
  private final java.util.Map<String, Integer> refusedChunks = new java.util.concurrent.ConcurrentHashMap<>();

  private final boolean resumable;
  private final String[] audio;
  private final String[] control;
  private final boolean[] ending;

  BusSubjects(FaultBench.Plan plan, int port) {
    super(plan);
    resumable = plan.path().equals("resumable");
    audio = new String[n];
    control = new String[n];
    ending = new boolean[n];
    // a resumable session's front and its recognizing session are both admitted on this one node
    int sessions = (resumable ? 2 * n : n) + 10;
    SttVerticleOptions options = new SttVerticleOptions().setMaxSessions(sessions)
        .setAdmission(new AdmissionOptions().setMaxAdmissionsPerSecond(0)
            .setNodeAudioBudgetBytes(sessions * 4L * 1024 * 1024))
        .setClient(new SttOptions().setBaseUrl("http://127.0.0.1:" + port + "/v1")
            .setApiKey(FaultBench.KEY).setApiSecret(FaultBench.SECRET));
    ClientStreams.join(vertx.deployVerticle(new SttVerticle(options)));
  }

  @Override
  public void open() {
    List<Future<?>> consumers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int s = i;
      consumers.add(ClientStreams.onContext(loopOf(i), () -> vertx.eventBus()
          .<JsonObject>consumer("app.fault." + s, m -> onEvent(s, m.body())).completion()).compose(f -> f));
    }
    ClientStreams.join(Future.all(consumers));
    int refused = 0;
    for (int from = 0; from < n; from += 200) {
      List<Future<?>> opened = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 200); i++) {
        int s = i;
        JsonObject open = new JsonObject().put("sampleRate", ToneAudio.RATE).put("eventsAddress", "app.fault." + s)
            .put("roomId", FaultBench.ROOM_PREFIX + s);
        if (resumable) {
          open.put("resumable", true);
        }
        opened.add(vertx.eventBus().<JsonObject>request("stt.open", open, new DeliveryOptions().setSendTimeout(60_000))
            .onSuccess(m -> {
              audio[s] = m.body().getString("audioAddress");
              control[s] = m.body().getString("controlAddress");
            })
            .onFailure(err -> deafness[s].died("refused " + (err instanceof ReplyException e ? e.failureCode() : err.getMessage()))));
      }
      ClientStreams.join(Future.join(opened).otherwiseEmpty());
    }
    for (int i = 0; i < n; i++) {
      if (audio[i] == null) {
        refused++;
      }
    }
    if (refused > 0) {
      System.out.println("  sessions refused at open: " + refused + " of " + n);
    }
  }

  private void onEvent(int s, JsonObject event) {
    Deafness d = deafness[s];
    trace(s, event.getString("type"));
    switch (String.valueOf(event.getString("type"))) {
      case "interim_transcript" -> d.transcript(System.nanoTime());
      case "final_transcript" -> {
        d.transcript(System.nanoTime());
        JsonArray alts = event.getJsonArray("alternatives");
        if (alts != null && !alts.isEmpty()) {
          JsonObject alt = alts.getJsonObject(0);
          JsonObject meta = alt.getJsonObject("metadata");
          if (meta != null && meta.containsKey("bytes")) {
            tiling[s].add(alt.getDouble("startTime"), meta.getLong("bytes"), meta.getLong("checksum"));
          }
        }
      }
      case "error" -> {
        JsonObject error = event.getJsonObject("error");
        if (error != null && error.containsKey("failureCode")) {
          refusedChunks.merge(error.getString("code"), 1, Integer::sum); // an audio chunk the session refused
        }
        if (error != null && !error.getBoolean("retryable", true)) {
          d.died(error.getString("code"));
        }
      }
      case "closed" -> {
        if (!ending[s]) {
          d.died("closed " + event.getString("reason"));
        }
      }
      default -> {
      }
    }
  }

  /**
   * Returns once every admitted session's stream says CONNECTED in its {@code status} (an upgrade
   * seen by the gateway is not enough: a cold JVM took seconds more before its first audio went out).
   * A resumable session's status may leave its stream out while recognition moves; then the gateway's
   * count of first connections decides.
   */
  @Override
  public void awaitConnected(ConnectionLog log) throws InterruptedException {
    int admitted = 0;
    for (String a : audio) {
      if (a != null) {
        admitted++;
      }
    }
    FaultBench.awaitFirsts(log, admitted);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      List<Future<io.vertx.core.eventbus.Message<JsonObject>>> status = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (control[i] != null) {
          status.add(vertx.eventBus().request(control[i], new JsonObject().put("action", "status")));
        }
      }
      ClientStreams.join(Future.join(status).otherwiseEmpty());
      long connected = status.stream().filter(f -> {
        if (f.failed()) {
          return false;
        }
        JsonObject stream = f.result().body().getJsonObject("stream");
        return stream == null ? resumable : "CONNECTED".equals(stream.getString("state"));
      }).count();
      if (connected == status.size()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + connected + " of " + status.size() + " sessions connected within 120 s");
      }
      Thread.sleep(200);
    }
  }

  @Override
  void write(int i, Buffer frame) {
    vertx.eventBus().send(audio[i], frame);
  }

  @Override
  public void endAll() throws Exception {
    List<Future<?>> ends = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int s = i;
      if (audio[s] == null) {
        continue;
      }
      ends.add(ClientStreams.onContext(loopOf(i), () -> {
        ending[s] = true;
        return deafness[s].diedOf() != null ? Future.succeededFuture()
            : vertx.eventBus().request(control[s], new JsonObject().put("action", "end"),
                new DeliveryOptions().setSendTimeout(120_000));
      }).compose(f -> f).otherwiseEmpty());
    }
    try {
      Future.join(ends).toCompletionStage().toCompletableFuture().get(130, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      System.out.println("  some sessions did not end within 130 s");
    }
    String incomplete = firstIncomplete();
    if (incomplete != null) {
      System.out.println("  first session without every byte: " + incomplete);
    }
    if (!refusedChunks.isEmpty()) {
      System.out.println("  audio chunks the sessions refused (error events; this bench sends without waiting for"
          + " replies, so a refused chunk is missing from the finals): " + refusedChunks);
    }
  }
}
