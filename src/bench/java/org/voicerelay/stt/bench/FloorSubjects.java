package org.voicerelay.stt.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.voicerelay.stt.protocol.AccessToken;
import org.voicerelay.stt.protocol.GatewayUrl;

/**
 * The fault bench's streams of the recovery floor ({@link RecoveringFloorStream}), written and
 * measured exactly as {@link ClientSubjects}' are: the same pacing, event loops, rooms and figures.
 */
final class FloorSubjects extends PacedSubjects {

  private final WebSocketClient ws;
  private final WebSocketConnectOptions connect;
  private final RecoveringFloorStream[] streams;

  FloorSubjects(FaultBench.Plan plan, int port) {
    super(plan);
    ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE));
    String token = new AccessToken(vertx, FaultBench.KEY, FaultBench.SECRET).issue();
    connect = new WebSocketConnectOptions()
        .setAbsoluteURI(GatewayUrl.sttEndpoint("http://127.0.0.1:" + port + "/v1", null).toString())
        .addHeader("Authorization", "Bearer " + token).setTimeout(10_000);
    streams = new RecoveringFloorStream[n];
  }

  @Override
  public void open() {
    for (int i = 0; i < n; i++) {
      int s = i;
      WebSocketConnectOptions own = new WebSocketConnectOptions(connect).addHeader("X-LiveKit-Room-ID", FaultBench.ROOM_PREFIX + s);
      streams[i] = ClientStreams.join(ClientStreams.onContext(loopOf(i), () ->
          new RecoveringFloorStream(vertx, ws, own, ToneAudio.RATE, (fin, start, extra) -> {
            trace(s, fin ? "final_transcript" : "interim_transcript");
            deafness[s].transcript(System.nanoTime());
            if (fin && extra != null && extra.containsKey("bytes")) {
              tiling[s].add(start, extra.getLong("bytes"), extra.getLong("checksum"));
            }
          })));
    }
  }

  @Override
  public void awaitConnected(ConnectionLog log) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      int connected = 0;
      for (int i = 0; i < n; i++) {
        int s = i;
        if (ClientStreams.join(ClientStreams.onContext(loopOf(i), () -> streams[s].connected()))) {
          connected++;
        }
      }
      if (connected == n) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + connected + " of " + n + " floor streams connected within 120 s");
      }
      Thread.sleep(50);
    }
  }

  @Override
  void write(int i, Buffer frame) {
    streams[i].write(frame);
  }

  @Override
  public void endAll() throws Exception {
    List<Future<Void>> ends = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int s = i;
      ends.add(ClientStreams.onContext(loopOf(i), () -> streams[s].end()).compose(f -> f).otherwiseEmpty());
    }
    try {
      Future.join(ends).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      System.out.println("  some floor streams did not end within 120 s");
    }
    String incomplete = firstIncomplete();
    if (incomplete != null) {
      System.out.println("  first stream without every byte: " + incomplete);
    }
  }
}
