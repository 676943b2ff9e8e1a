package org.voicerelay.stt.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A WebSocket peer on loopback whose behaviour each test scripts: how to answer each upgrade
 * (status or accept) and what to do with each frame. Records every connection's headers and frames
 * so tests assert on what really went over the wire.
 */
final class ScriptedGateway {

  static final String KEY = "test-key";
  static final String SECRET = "test-secret-that-is-long-enough-0123456789";

  /** One accepted or rejected connection attempt. */
  static final class Connection {
    final int index;
    final String authorization;
    final String userAgent;
    final String path;
    /** Every header of the upgrade request, as received. */
    final io.vertx.core.MultiMap headers;
    final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    volatile ServerWebSocket socket;

    Connection(int index, HttpServerRequest request) {
      this.index = index;
      this.authorization = request.getHeader("Authorization");
      this.userAgent = request.getHeader("User-Agent");
      this.path = request.uri();
      this.headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
    }

    void send(JsonObject message) {
      socket.writeTextMessage(message.encode());
    }

    List<JsonObject> framesOfType(String type) {
      return frames.stream().filter(f -> type.equals(f.getString("type"))).toList();
    }

    /** The audio of every input_audio frame, concatenated. */
    byte[] audio() {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (JsonObject f : framesOfType("input_audio")) {
        out.writeBytes(Base64.getDecoder().decode(f.getString("audio")));
      }
      return out.toByteArray();
    }
  }

  private final Vertx vertx;
  final List<Connection> connections = new CopyOnWriteArrayList<>();
  private HttpServer server;
  /** Status to answer the n-th upgrade with; 101 accepts it, 0 never answers. */
  volatile Function<Integer, Integer> upgradeStatus = n -> 101;
  /** Called for each text frame (already recorded). */
  volatile BiConsumer<Connection, JsonObject> onFrame = ScriptedGateway::cooperative;

  ScriptedGateway(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<ScriptedGateway> start() {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
        .setMaxWebSocketFrameSize(1 << 20));
    server.requestHandler(this::onRequest);
    return server.listen().map(s -> this);
  }

  private void onRequest(HttpServerRequest request) {
    Connection c = new Connection(connections.size(), request);
    connections.add(c);
    int status = upgradeStatus.apply(c.index);
    if (status == 0) {
      return;
    }
    if (status != 101) {
      request.response().setStatusCode(status).end();
      return;
    }
    request.toWebSocket().onSuccess(ws -> {
      c.socket = ws;
      ws.textMessageHandler(text -> {
        JsonObject frame = new JsonObject(text);
        c.frames.add(frame);
        onFrame.accept(c, frame);
      });
    });
  }

  int port() {
    return server.actualPort();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  /** The client's defaults (connect options included) for a gateway reached through {@code port}, e.g. a proxy. */
  static SttOptions defaultsThrough(int port) {
    return new SttOptions().setBaseUrl("http://127.0.0.1:" + port + "/v1").setApiKey(KEY).setApiSecret(SECRET);
  }

  SttOptions options() {
    return new SttOptions().setBaseUrl(baseUrl()).setApiKey(KEY).setApiSecret(SECRET)
        .setConnectOptions(new ConnectOptions().setMaxDelayMs(50));
  }

  Connection connection(int i) {
    return connections.get(i);
  }

  List<JsonObject> allFrames() {
    List<JsonObject> all = new ArrayList<>();
    connections.forEach(c -> all.addAll(c.frames));
    return all;
  }

  /**
   * A well-behaved gateway: acknowledges the session, answers every finalize with a final
   * transcript "heard N bytes" covering the audio since the previous finalize, and closes on
   * session.close.
   */
  static void cooperative(Connection c, JsonObject frame) {
    switch (frame.getString("type")) {
      case "session.create" -> c.send(new JsonObject().put("type", "session.created")
          .put("session_id", "gw_" + c.index));
      case "session.finalize" -> {
        int bytes = c.audio().length;
        double seconds = bytes / 2.0 / 16000;
        c.send(new JsonObject().put("type", "final_transcript").put("session_id", "gw_" + c.index)
            .put("transcript", "heard " + bytes + " bytes").put("start", 0.0)
            .put("duration", seconds).put("confidence", 0.9));
        c.send(new JsonObject().put("type", "session.finalized"));
      }
      case "session.close" -> {
        c.send(new JsonObject().put("type", "session.closed"));
        c.socket.close();
      }
      default -> {
      }
    }
  }

  Future<Void> close() {
    return server.close();
  }
}
