package org.voicerelay.stt.web;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A bridge client the way a page is one, on the SockJS endpoint's raw WebSocket
 * ({@code /eventbus/websocket}, one bridge frame per text message): sends, requests and
 * registrations, and every frame it receives, kept for the test to inspect.
 */
final class BridgeSocket {

  private record Waiter(Predicate<JsonObject> match, Promise<JsonObject> promise) {
  }

  /** Held: Vert.x closes a client that is no longer referenced, and its connections with it. */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final List<JsonObject> frames = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Promise<Void> closed = Promise.promise();
  private String token;

  private BridgeSocket(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    // the bridge writes binary frames on the raw WebSocket, the page's library text ones
    socket.handler(data -> onFrame(new JsonObject(data)));
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
    this.token = token;
    return this;
  }

  void send(String address, Object body) {
    write(new JsonObject().put("type", "send").put("address", address).put("body", body));
  }

  void publish(String address, Object body) {
    write(new JsonObject().put("type", "publish").put("address", address).put("body", body));
  }

  void register(String address) {
    write(new JsonObject().put("type", "register").put("address", address));
  }

  /** Sends with a reply address; completes with the reply's frame ({@code rec} or {@code err}). */
  Future<JsonObject> request(String address, Object body) {
    String replyAddress = UUID.randomUUID().toString();
    Future<JsonObject> reply = next(f -> replyAddress.equals(f.getString("address")));
    write(new JsonObject().put("type", "send").put("address", address).put("body", body)
        .put("replyAddress", replyAddress));
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
    Promise<JsonObject> promise = Promise.promise();
    waiters.add(new Waiter(match, promise));
    return promise.future();
  }

  /** The bridge's refusal of one message: an {@code err} frame "access_denied" that answers no request. */
  Future<JsonObject> nextRejection() {
    return next(f -> "err".equals(f.getString("type")) && "access_denied".equals(f.getString("body")));
  }

  List<JsonObject> frames() {
    return new ArrayList<>(frames);
  }

  /** Closes the connection (if the server has not already) and waits until it is closed. */
  Future<Void> close() {
    return socket.close().transform(ar -> closed.future()).eventually(client::close);
  }

  Future<Void> closed() {
    return closed.future();
  }

  private void write(JsonObject frame) {
    if (token != null && frame.containsKey("address")) {
      frame.put("headers", new JsonObject().put("Authorization", "Bearer " + token));
    }
    socket.writeTextMessage(frame.encode());
  }

  private void onFrame(JsonObject frame) {
    frames.add(frame);
    List<Waiter> matched = new ArrayList<>();
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.match().test(frame)) {
        it.remove();
        matched.add(w);
      }
    }
    // completing runs the test's next steps, which may add waiters: not while iterating
    matched.forEach(w -> w.promise().tryComplete(frame));
  }
}
