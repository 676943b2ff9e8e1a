package org.voicerelay.stt.web;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.voicerelay.stt.testing.BridgeFrames;

/**
 * A bridge client the way a page is one, on the SockJS endpoint's raw WebSocket
 * ({@code /eventbus/websocket}, one bridge frame per text message): sends, requests and
 * registrations, and every frame it receives, kept for the test to inspect.
 */
final class BridgeSocket {

  /** Held: Vert.x closes a client that is no longer referenced, and its connections with it. */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final BridgeFrames frames = new BridgeFrames();
  private final Promise<Void> closed = Promise.promise();

  private BridgeSocket(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    // the bridge writes binary frames on the raw WebSocket, the page's library text ones
    socket.handler(data -> frames.onFrame(new JsonObject(data)));
    socket.closeHandler(v -> closed.tryComplete());
  }

  static Future<BridgeSocket> connect(Vertx vertx, int port) {
    return connect(vertx, port, null);
  }

  /** Sends the bridge's ping (the bridge closes connections silent for its ping timeout, 10 s). */
  void ping() {
    write(new JsonObject().put("type", "ping"));
  }

  static Future<BridgeSocket> connect(Vertx vertx, int port, String origin) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI(WebVerticle.BRIDGE_PATH + "/websocket");
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    WebSocketClient client = vertx.createWebSocketClient();
    return client.connect(options).map(socket -> new BridgeSocket(client, socket));
  }

  /** Sends {@code "Authorization": "Bearer <token>"} in every frame's headers from now on. */
  BridgeSocket token(String token) {
    frames.token(token);
    return this;
  }

  void send(String address, Object body) {
    write(frames.frame("send", address).put("body", body));
  }

  void publish(String address, Object body) {
    write(frames.frame("publish", address).put("body", body));
  }

  void register(String address) {
    write(frames.frame("register", address));
  }

  /** Sends with a reply address; completes with the reply's frame ({@code rec} or {@code err}). */
  Future<JsonObject> request(String address, Object body) {
    String replyAddress = UUID.randomUUID().toString();
    Future<JsonObject> reply = next(f -> replyAddress.equals(f.getString("address")));
    write(frames.frame("send", address).put("body", body).put("replyAddress", replyAddress));
    return reply;
  }

  /** The open reply's body; fails if the open was refused. */
  Future<JsonObject> open(JsonObject request) {
    return request("stt.open", request).compose(f -> "rec".equals(f.getString("type"))
        ? Future.succeededFuture(f.getJsonObject("body"))
        : Future.failedFuture("open refused: " + f.encode()));
  }

  /** The next frame, from now on, that {@code match}es. */
  Future<JsonObject> next(Predicate<JsonObject> match) {
    return frames.next(match);
  }

  /** The bridge's refusal of one message: an {@code err} frame "access_denied" that answers no request. */
  Future<JsonObject> nextRejection() {
    return next(f -> "err".equals(f.getString("type")) && "access_denied".equals(f.getString("body")));
  }

  List<JsonObject> frames() {
    return frames.received();
  }

  /** Closes the connection (if the server has not already) and waits until it is closed. */
  Future<Void> close() {
    return socket.close().transform(ar -> closed.future()).eventually(client::close);
  }

  Future<Void> closed() {
    return closed.future();
  }

  private void write(JsonObject frame) {
    socket.writeTextMessage(frame.encode());
  }

}
