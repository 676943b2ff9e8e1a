package org.voicerelay.stt.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.voicerelay.stt.client.SpeechData;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamOptions;
import org.voicerelay.stt.client.StreamState;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.client.SttOptions;

/**
 * The fault bench's streams of one {@link SttClient} with its default options (only the base URL
 * and credentials set), as an agent uses it: {@code stream(new StreamOptions().setRoomId(...))}
 * (each stream a room of its own, so the gateway can count its connections), 20 ms writes.
 */
final class ClientSubjects extends PacedSubjects {

  private final SttClient client;
  private final SpeechStream[] streams;
  private final boolean[] ending;

  ClientSubjects(FaultBench.Plan plan, int port) {
    super(plan);
    client = SttClient.create(vertx, new SttOptions().setBaseUrl("http://127.0.0.1:" + port + "/v1")
        .setApiKey(FaultBench.KEY).setApiSecret(FaultBench.SECRET));
    streams = new SpeechStream[n];
    ending = new boolean[n];
  }

  @Override
  public void open() {
    for (int i = 0; i < n; i++) {
      int s = i;
      streams[i] = ClientStreams.join(ClientStreams.onContext(loopOf(i), () -> {
        SpeechStream stream = client.stream(new StreamOptions().setRoomId(FaultBench.ROOM_PREFIX + s));
        Deafness d = deafness[s];
        stream.handler(event -> {
          SpeechEventType type = event.type();
          trace(s, type.wireName());
          if (type == SpeechEventType.INTERIM_TRANSCRIPT || type == SpeechEventType.FINAL_TRANSCRIPT) {
            d.transcript(System.nanoTime());
          }
          if (type == SpeechEventType.FINAL_TRANSCRIPT && !event.alternatives().isEmpty()) {
            SpeechData alt = event.alternatives().get(0);
            JsonObject meta = alt.metadata();
            if (meta != null && meta.containsKey("bytes")) {
              tiling[s].add(alt.startTime(), meta.getLong("bytes"), meta.getLong("checksum"));
            }
          }
          if (type == SpeechEventType.ERROR && event.error() != null && !event.error().retryable()) {
            d.died(event.error().code());
          }
        });
        if (TRACE) {
          stream.stateHandler(e -> trace(s, "phase " + e.phase()));
        }
        stream.exceptionHandler(err -> d.died(err instanceof SttException e ? e.code().wireName() : err.getClass().getSimpleName()));
        stream.endHandler(v -> {
          if (!ending[s]) {
            d.died("closed");
          }
        });
        return stream;
      }));
    }
  }

  @Override
  public void awaitConnected(ConnectionLog log) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      int connected = 0;
      for (SpeechStream s : streams) {
        if (s.state() == StreamState.CONNECTED) {
          connected++;
        }
      }
      if (connected == n) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + connected + " of " + n + " streams connected within 120 s");
      }
      Thread.sleep(50);
    }
  }

  @Override
  void write(int i, Buffer frame) {
    streams[i].write(frame).onFailure(err -> refusedWrites.incrementAndGet());
  }

  @Override
  public void endAll() throws Exception {
    List<Future<Void>> ends = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int s = i;
      ends.add(ClientStreams.onContext(loopOf(i), () -> {
        ending[s] = true;
        return deafness[s].diedOf() != null ? Future.<Void>succeededFuture() : streams[s].end();
      }).compose(f -> f).otherwiseEmpty());
    }
    try {
      Future.join(ends).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      System.out.println("  some streams did not end within 120 s");
    }
    if (refusedWrites.get() > 0) {
      System.out.println("  writes refused by the client: " + refusedWrites.get());
    }
    String incomplete = firstIncomplete();
    if (incomplete != null) {
      System.out.println("  first stream without every byte: " + incomplete);
    }
  }

  @Override
  public void close() {
    try {
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort
    }
    super.close();
  }
}
