package org.voicerelay.stt.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import org.voicerelay.stt.client.ModelCapabilities;
import org.voicerelay.stt.client.SpeechData;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamState;
import org.voicerelay.stt.client.StreamStateEvent;
import org.voicerelay.stt.client.VoiceActivityDetector;
import org.voicerelay.stt.protocol.MessageType;
import org.voicerelay.stt.protocol.ProtocolCodec;
import org.voicerelay.stt.protocol.SessionCreate;
import org.voicerelay.stt.protocol.SessionSettings;

/**
 * The floor of the client: the least any Vert.x speech-to-text client must do for an application's
 * writes, written with Vert.x's public API and the JDK only, so that {@code ClientBench --floor}
 * can measure {@code SttClient} against it on the same load in the same run.
 *
 * <p>One WebSocket per stream, {@code session.create}, then the writes gathered into 50 ms chunks
 * (the gateway's framing, as LiveKit's clients send it), each sent as one {@code input_audio}
 * message ({@link Base64}, {@code writeTextMessage}); every gateway message decoded into a
 * {@link JsonObject}, a transcript handed to the application as a {@link SpeechEvent}. {@code end}
 * sends the rest and {@code session.finalize}, and closes on {@code session.finalized}. Nothing
 * else: no reconnects, no replay buffer, no resampling, no liveness pings, no metrics, no
 * back-pressure beyond the socket's. The bench drives only what it uses; the rest is refused.
 */
final class FloorStream implements SpeechStream {

  private static final String AUDIO_PREFIX = "{\"type\":\"input_audio\",\"audio\":\"";
  private static final String AUDIO_SUFFIX = "\"}";

  private final byte[] chunk;
  private final Promise<Void> closed = Promise.promise();
  private int filled;
  private WebSocket ws;
  private boolean ending;
  private Handler<SpeechEvent> handler;
  private Handler<Void> drainHandler;

  /** Opens the stream's socket; {@code sampleRate} 16-bit mono samples a second, 50 ms a chunk. */
  FloorStream(WebSocketClient client, WebSocketConnectOptions connect, int sampleRate) {
    chunk = new byte[sampleRate / 20 * 2];
    client.connect(connect).onComplete(ar -> {
      if (ar.failed()) {
        closed.tryFail(ar.cause());
        return;
      }
      ws = ar.result();
      ws.textMessageHandler(this::fromGateway);
      ws.exceptionHandler(err -> { });
      ws.closeHandler(v -> closed.tryComplete());
      ws.drainHandler(v -> {
        if (drainHandler != null) {
          drainHandler.handle(null);
        }
      });
      ws.writeTextMessage(sessionCreate(sampleRate));
    });
  }

  /** The {@code session.create} of a floor: the rate and the encoding, nothing else. */
  static String sessionCreate(int sampleRate) {
    return ProtocolCodec.encode(new SessionCreate(null,
        new SessionSettings(String.valueOf(sampleRate), "pcm_s16le", null, null, null), null, null));
  }

  @Override
  public Future<Void> write(Buffer data) {
    int at = 0;
    int length = data.length();
    while (at < length) {
      int n = Math.min(chunk.length - filled, length - at);
      data.getBytes(at, at + n, chunk, filled);
      filled += n;
      at += n;
      if (filled == chunk.length) {
        sendChunk();
      }
    }
    return Future.succeededFuture();
  }

  private void sendChunk() {
    ws.writeTextMessage(AUDIO_PREFIX + Base64.getEncoder().encodeToString(
        filled == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, filled)) + AUDIO_SUFFIX);
    filled = 0;
  }

  private void fromGateway(String text) {
    JsonObject message = new JsonObject(text);
    String type = message.getString("type");
    if (MessageType.FINAL_TRANSCRIPT.equals(type) || MessageType.INTERIM_TRANSCRIPT.equals(type)) {
      double start = message.getDouble("start", 0.0);
      SpeechData data = new SpeechData(message.getString("transcript", ""), message.getString("language"), start,
          start + message.getDouble("duration", 0.0), message.getDouble("confidence", 1.0), null, null,
          message.getJsonObject("extra"));
      if (handler != null) {
        handler.handle(new SpeechEvent(MessageType.FINAL_TRANSCRIPT.equals(type)
            ? SpeechEventType.FINAL_TRANSCRIPT : SpeechEventType.INTERIM_TRANSCRIPT, null, List.of(data), 0, null));
      }
    } else if (MessageType.SESSION_FINALIZED.equals(type) && ending) {
      ws.close();
    }
  }

  @Override
  public Future<Void> flush() {
    if (filled > 0) {
      sendChunk();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> finalizeUtterance() {
    flush();
    return ws.writeTextMessage(ProtocolCodec.FINALIZE_FRAME);
  }

  @Override
  public Future<Void> end() {
    if (!ending) {
      ending = true;
      finalizeUtterance();
    }
    return closed.future();
  }

  @Override
  public StreamState state() {
    return ws == null ? StreamState.CONNECTING : ws.isClosed() ? StreamState.CLOSED : StreamState.CONNECTED;
  }

  @Override
  public long bufferedBytes() {
    return filled;
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  public SpeechStream drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }

  @Override
  public SpeechStream handler(Handler<SpeechEvent> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public SpeechStream exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public SpeechStream setWriteQueueMaxSize(int maxSize) {
    ws.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public String id() {
    return "floor";
  }

  // ------------------------------------------------------------- not part of the floor

  private static UnsupportedOperationException notInTheFloor() {
    return new UnsupportedOperationException("not part of the client's floor");
  }

  @Override
  public void updateOptions(String model, String language, JsonObject extra) {
    throw notInTheFloor();
  }

  @Override
  public Future<Void> updateKeyterms(List<String> keyterms) {
    throw notInTheFloor();
  }

  @Override
  public Future<Void> addAgentContext(String text) {
    throw notInTheFloor();
  }

  @Override
  public Future<Void> close() {
    throw notInTheFloor();
  }

  @Override
  public ModelCapabilities capabilities() {
    throw notInTheFloor();
  }

  @Override
  public SpeechStream turnDetector(VoiceActivityDetector detector) {
    throw notInTheFloor();
  }

  @Override
  public SpeechStream stateHandler(Handler<StreamStateEvent> handler) {
    throw notInTheFloor();
  }

  @Override
  public long replayBytes() {
    throw notInTheFloor();
  }

  @Override
  public long deafForMs() {
    throw notInTheFloor();
  }

  @Override
  public double audioSecondsSent() {
    throw notInTheFloor();
  }

  @Override
  public long framesSent() {
    throw notInTheFloor();
  }

  @Override
  public JsonObject status() {
    throw notInTheFloor();
  }

  @Override
  public SpeechStream pause() {
    throw notInTheFloor();
  }

  @Override
  public SpeechStream resume() {
    throw notInTheFloor();
  }

  @Override
  public SpeechStream fetch(long amount) {
    throw notInTheFloor();
  }

  @Override
  public SpeechStream endHandler(Handler<Void> endHandler) {
    throw notInTheFloor();
  }
}
