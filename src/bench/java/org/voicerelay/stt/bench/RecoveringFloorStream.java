package org.voicerelay.stt.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import org.voicerelay.stt.audio.AudioChunker;
import org.voicerelay.stt.client.ConnectOptions;
import org.voicerelay.stt.protocol.MessageType;
import org.voicerelay.stt.protocol.ProtocolCodec;

/**
 * The floor of a client that hears again after a fault: the least any client must do so that a
 * stream loses no byte and hears again once the gateway does, for {@code FaultBench --floor}. One
 * WebSocket at a time; 50 ms {@code input_audio} chunks; every chunk no final has covered is kept,
 * and a new connection sends {@code session.create} and then all of them at once. A connection
 * that fails or closes is retried after {@link #RETRY_MS}, for ever, with no back-off, no breaker
 * and no cap on what is kept; one from which nothing was heard for {@link #SILENT_MS} (the client's
 * default liveness deadline) while audio flowed is left and another opened. Confined to the
 * context it was created on.
 */
final class RecoveringFloorStream {

  /**
   * The delay before each new attempt, the client's longest back-off: what a stream may lose
   * learning that the gateway is back.
   */
  static final long RETRY_MS = ConnectOptions.DEFAULT_MAX_DELAY_MS;
  /** Nothing heard for this long: the connection is left (the client's liveness deadline). */
  static final long SILENT_MS = ConnectOptions.DEFAULT_LIVENESS_TIMEOUT_MS;

  /** A transcript: {@code startSeconds} on the stream's clock; {@code extra} the engine's fields, or null. */
  interface Listener {
    void transcript(boolean fin, double startSeconds, JsonObject extra);
  }

  private final Vertx vertx;
  private final WebSocketClient client;
  private final WebSocketConnectOptions connect;
  private final int rate;
  private final Listener listener;
  private final AudioChunker chunker;
  /** Chunks no final has covered yet, oldest first, from stream byte {@code keptFrom}. */
  private final ArrayDeque<byte[]> kept = new ArrayDeque<>();
  private long keptFrom;
  private WebSocket socket;
  /** The stream byte the current connection's audio starts at. */
  private long connectionFrom;
  private long lastHeard;
  private boolean ending;
  private final Promise<Void> ended = Promise.promise();
  private final long sweep;

  RecoveringFloorStream(Vertx vertx, WebSocketClient client, WebSocketConnectOptions connect, int rate,
      Listener listener) {
    this.vertx = vertx;
    this.client = client;
    this.connect = connect;
    this.rate = rate;
    this.listener = listener;
    this.chunker = new AudioChunker(AudioChunker.chunkBytes(rate, 50));
    this.sweep = vertx.setPeriodic(500, id -> leaveIfSilent());
    open();
  }

  boolean connected() {
    return socket != null;
  }

  private void open() {
    client.connect(connect).onComplete(ar -> {
      if (ar.failed()) {
        retry();
        return;
      }
      WebSocket ws = ar.result();
      socket = ws;
      connectionFrom = keptFrom;
      lastHeard = System.nanoTime();
      ws.textMessageHandler(text -> {
        if (socket == ws) {
          fromGateway(text);
        }
      });
      ws.exceptionHandler(err -> { });
      ws.closeHandler(v -> {
        if (socket == ws) {
          socket = null;
          if (!ended.future().isComplete()) {
            retry();
          }
        }
      });
      ws.writeTextMessage(FloorStream.sessionCreate(rate));
      for (byte[] chunk : kept) {
        send(ws, chunk);
      }
      if (ending) {
        finish(ws);
      }
    });
  }

  private void retry() {
    vertx.setTimer(RETRY_MS, id -> open());
  }

  private void leaveIfSilent() {
    WebSocket ws = socket;
    if (ws != null && !ending && System.nanoTime() - lastHeard > SILENT_MS * 1_000_000) {
      socket = null;
      ws.close();
      open();
    }
  }

  void write(Buffer data) {
    for (byte[] chunk : chunker.push(data.getBytes())) {
      keep(chunk);
    }
  }

  private void keep(byte[] chunk) {
    kept.add(chunk);
    if (socket != null) {
      send(socket, chunk);
    }
  }

  private static void send(WebSocket ws, byte[] chunk) {
    ws.writeTextMessage(ProtocolCodec.encodeAudio(chunk, 0, chunk.length));
  }

  private void fromGateway(String text) {
    lastHeard = System.nanoTime();
    JsonObject message = new JsonObject(text);
    String type = message.getString("type");
    boolean fin = MessageType.FINAL_TRANSCRIPT.equals(type);
    if (fin || MessageType.INTERIM_TRANSCRIPT.equals(type)) {
      double start = message.getDouble("start", 0.0);
      JsonObject extra = message.getJsonObject("extra");
      listener.transcript(fin, connectionFrom / 2.0 / rate + start, extra);
      if (fin && extra != null && extra.containsKey("bytes")) {
        forget(connectionFrom + Math.round(start * rate) * 2 + extra.getLong("bytes"));
      }
    } else if (MessageType.SESSION_FINALIZED.equals(type) && ending) {
      ended.tryComplete();
      socket.close();
    }
  }

  /** A final covered the stream's bytes up to {@code covered}: whole chunks before it are not kept. */
  private void forget(long covered) {
    while (!kept.isEmpty() && keptFrom + kept.peekFirst().length <= covered) {
      keptFrom += kept.pollFirst().length;
    }
  }

  /** Sends the rest and {@code session.finalize}; completes on {@code session.finalized}. */
  Future<Void> end() {
    if (!ending) {
      ending = true;
      byte[] rest = chunker.flush();
      if (rest != null) {
        keep(rest);
      }
      if (socket != null) {
        finish(socket);
      }
    }
    return ended.future().onComplete(v -> vertx.cancelTimer(sweep));
  }

  private static void finish(WebSocket ws) {
    ws.writeTextMessage(ProtocolCodec.FINALIZE_FRAME);
  }
}
