package org.voicerelay.stt.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import org.voicerelay.stt.protocol.AccessToken;

/**
 * A raw WebSocket client for gateway tests: sends frames as a LiveKit client would and hands out
 * what arrives, in order, as futures, so a test reads as the conversation it checks.
 */
final class GatewayTestSocket {

  static final String API_KEY = "testkey";
  static final String API_SECRET = "a-test-secret-long-enough-for-hs256";

  private final WebSocketClient client;
  private final WebSocket socket;
  private final Deque<JsonObject> received = new ArrayDeque<>();
  private final Deque<Promise<JsonObject>> waiting = new ArrayDeque<>();
  private final Promise<Short> closed = Promise.promise();

  private GatewayTestSocket(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(text -> deliver(new JsonObject(text)));
    socket.closeHandler(v -> {
      closed.tryComplete(socket.closeStatusCode());
      failWaiting();
    });
  }

  /** Options for a gateway on loopback, any port, counting engine, test credentials. */
  static LocalGatewayOptions countingOptions() {
    return new LocalGatewayOptions()
        .setApiKey(API_KEY)
        .setApiSecret(API_SECRET)
        .setRecognizer(LocalGatewayVerticle.RECOGNIZER_COUNTING);
  }

  /** Deploys a gateway with the counting engine on a free port; completes with the port. */
  static Future<Integer> deployCountingGateway(Vertx vertx) {
    return deployGateway(vertx, countingOptions());
  }

  /** Deploys a gateway with these options; completes with its port. */
  static Future<Integer> deployGateway(Vertx vertx, LocalGatewayOptions options) {
    LocalGatewayVerticle gateway = new LocalGatewayVerticle(options);
    return vertx.deployVerticle(gateway).map(id -> gateway.actualPort());
  }

  static String validToken(Vertx vertx) {
    return new AccessToken(vertx, API_KEY, API_SECRET).issue();
  }

  static Future<GatewayTestSocket> connect(Vertx vertx, int port) {
    return connect(vertx, port, LocalGatewayVerticle.V1_PATH, "Bearer " + validToken(vertx));
  }

  /** Connects with the given {@code Authorization} header value, or none if null. */
  static Future<GatewayTestSocket> connect(Vertx vertx, int port, String path, String authorization) {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setURI(path + "?model=deepgram%2Fnova-3");
    if (authorization != null) {
      options.addHeader("Authorization", authorization);
    }
    return client.connect(options)
        .map(socket -> new GatewayTestSocket(client, socket))
        .onFailure(err -> client.close());
  }

  /** Connects and creates a 16 kHz session; completes with the {@code session.created} frame. */
  static Future<GatewayTestSocket> session(Vertx vertx, int port) {
    return connect(vertx, port).compose(s -> s.create(16000).map(s));
  }

  Future<JsonObject> create(int sampleRate) {
    return sendCreate(sampleRate).next();
  }

  GatewayTestSocket sendCreate(int sampleRate) {
    return send(new JsonObject().put("type", "session.create").put("model", "deepgram/nova-3")
        .put("settings", new JsonObject().put("sample_rate", String.valueOf(sampleRate))
            .put("encoding", "pcm_s16le").put("extra", new JsonObject())));
  }

  GatewayTestSocket send(JsonObject frame) {
    socket.writeTextMessage(frame.encode());
    return this;
  }

  GatewayTestSocket sendText(String text) {
    socket.writeTextMessage(text);
    return this;
  }

  GatewayTestSocket sendBinary(byte[] data) {
    socket.writeBinaryMessage(Buffer.buffer(data));
    return this;
  }

  /** Sends {@code text} as one message in {@code pieces} frames (a text frame, then continuations). */
  GatewayTestSocket sendTextInFragments(String text, int pieces) {
    return sendInFragments(Buffer.buffer(text), pieces, true);
  }

  /** Sends {@code data} as one binary message in {@code pieces} frames. */
  GatewayTestSocket sendBinaryInFragments(byte[] data, int pieces) {
    return sendInFragments(Buffer.buffer(data), pieces, false);
  }

  private GatewayTestSocket sendInFragments(Buffer message, int pieces, boolean text) {
    int step = (message.length() + pieces - 1) / pieces;
    for (int from = 0; from < message.length(); from += step) {
      Buffer piece = message.getBuffer(from, Math.min(message.length(), from + step));
      boolean last = from + step >= message.length();
      socket.writeFrame(from > 0 ? WebSocketFrame.continuationFrame(piece, last)
          : text ? WebSocketFrame.textFrame(piece.toString(), last) : WebSocketFrame.binaryFrame(piece, last));
    }
    return this;
  }

  GatewayTestSocket sendAudio(byte[] pcm) {
    return send(new JsonObject().put("type", "input_audio").put("audio", Base64.getEncoder().encodeToString(pcm)));
  }

  GatewayTestSocket sendType(String type) {
    return send(new JsonObject().put("type", type));
  }

  /** The next frame from the gateway. */
  synchronized Future<JsonObject> next() {
    JsonObject frame = received.poll();
    if (frame != null) {
      return Future.succeededFuture(frame);
    }
    if (closed.future().isComplete()) {
      return Future.failedFuture("socket closed");
    }
    Promise<JsonObject> promise = Promise.promise();
    waiting.add(promise);
    return promise.future();
  }

  /** Skips frames until one of the given type arrives. */
  Future<JsonObject> nextOfType(String type) {
    return next().compose(frame -> type.equals(frame.getString("type"))
        ? Future.succeededFuture(frame) : nextOfType(type));
  }

  /** Completes with the close status code once the gateway closed the socket. */
  Future<Short> closed() {
    return closed.future();
  }

  Future<Void> close() {
    return socket.close().eventually(client::close);
  }

  private synchronized void deliver(JsonObject frame) {
    Promise<JsonObject> promise = waiting.poll();
    if (promise != null) {
      promise.complete(frame);
    } else {
      received.add(frame);
    }
  }

  private synchronized void failWaiting() {
    Promise<JsonObject> promise;
    while ((promise = waiting.poll()) != null) {
      promise.tryFail("socket closed");
    }
  }
}
