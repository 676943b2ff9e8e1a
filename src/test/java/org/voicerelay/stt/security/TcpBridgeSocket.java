package org.voicerelay.stt.security;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.voicerelay.stt.testing.BridgeFrames;
import org.voicerelay.stt.testing.TestStack;

/**
 * A client of the TCP event-bus bridge the way a Python or Node program is one: 4-byte length and
 * JSON frames on a real socket, with {@code "Authorization": "Bearer <jwt>"} in every frame's
 * headers when it has a token. Keeps every frame it receives for the test to inspect.
 */
final class TcpBridgeSocket {

  private final NetClient client;
  private final NetSocket socket;
  private final BridgeFrames frames = new BridgeFrames();
  private final Promise<Void> closed = Promise.promise();

  private TcpBridgeSocket(NetClient client, NetSocket socket) {
    this.client = client;
    this.socket = socket;
    RecordParser parser = RecordParser.newFixed(4);
    boolean[] header = {true};
    parser.handler(buffer -> {
      if (header[0]) {
        parser.fixedSizeMode(buffer.getInt(0));
        header[0] = false;
      } else {
        frames.onFrame(new JsonObject(buffer.toString(StandardCharsets.UTF_8)));
        parser.fixedSizeMode(4);
        header[0] = true;
      }
    });
    socket.handler(parser);
    socket.closeHandler(v -> closed.tryComplete());
  }

  /** A connection to the TCP bridge of this stack. */
  static Future<TcpBridgeSocket> connect(TestStack stack) {
    return connect(stack.vertx, stack.bridgePort());
  }

  static Future<TcpBridgeSocket> connect(Vertx vertx, int port) {
    return connect(vertx, port, new NetClientOptions());
  }

  static Future<TcpBridgeSocket> connect(Vertx vertx, int port, NetClientOptions options) {
    NetClient client = vertx.createNetClient(options.setConnectTimeout(5_000));
    return client.connect(port, "localhost").map(socket -> new TcpBridgeSocket(client, socket))
        .onFailure(e -> client.close());
  }

  /** Sends this token (a JWT) in every frame from now on; null for none. */
  TcpBridgeSocket token(String token) {
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

  void unregister(String address) {
    write(frames.frame("unregister", address));
  }

  /** Sends with a reply address; completes with the reply's frame ({@code message} or {@code err}). */
  Future<JsonObject> request(String address, Object body) {
    String replyAddress = UUID.randomUUID().toString();
    Future<JsonObject> reply = next(f -> replyAddress.equals(f.getString("address")));
    write(frames.frame("send", address).put("body", body).put("replyAddress", replyAddress));
    return reply;
  }

  /** The open reply's body; fails with the frame's JSON if the open was refused or failed. */
  Future<JsonObject> open(JsonObject request) {
    Promise<JsonObject> result = Promise.promise();
    nextRejection().onSuccess(f -> result.tryFail(f.encode()));
    request("stt.open", request).onSuccess(f -> {
      if ("message".equals(f.getString("type"))) {
        result.tryComplete(f.getJsonObject("body"));
      } else {
        result.tryFail(f.encode());
      }
    });
    return result.future();
  }

  /** The next frame, from now on, that {@code match}es. */
  Future<JsonObject> next(Predicate<JsonObject> match) {
    return frames.next(match);
  }

  /** The bridge's refusal: an {@code err} frame {@code access_denied} that answers no request. */
  Future<JsonObject> nextRejection() {
    return next(f -> "err".equals(f.getString("type")) && f.getString("address") == null
        && "access_denied".equals(f.getString("message")));
  }

  /** The next event published to {@code address} of {@code type}. */
  Future<JsonObject> nextEvent(String address, String type) {
    return next(f -> "message".equals(f.getString("type")) && address.equals(f.getString("address"))
        && f.getValue("body") instanceof JsonObject b && type.equals(b.getString("type")))
        .map(f -> f.getJsonObject("body"));
  }

  List<JsonObject> frames() {
    return frames.received();
  }

  /** The events received for {@code address}, in order. */
  List<JsonObject> events(String address) {
    return frames.received().stream().filter(f -> "message".equals(f.getString("type")) && address.equals(f.getString("address")))
        .map(f -> f.getJsonObject("body")).toList();
  }

  Future<Void> close() {
    return socket.close().transform(ar -> closed.future()).eventually(client::close);
  }

  private void write(JsonObject frame) {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    socket.write(Buffer.buffer().appendInt(json.length).appendBytes(json));
  }

}
