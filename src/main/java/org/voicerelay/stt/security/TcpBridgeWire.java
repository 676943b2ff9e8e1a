package org.voicerelay.stt.security;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;

/** The TCP event-bus bridge's frames: a 4-byte big-endian length, then JSON, as the bridge writes them. */
final class TcpBridgeWire implements BridgeWire {

  private final NetSocket socket;

  TcpBridgeWire(NetSocket socket) {
    this.socket = socket;
  }

  @Override
  public void event(String address, Object body) {
    write(new JsonObject().put("type", "message").put("address", address).put("headers", new JsonObject())
        .put("body", body).put("send", false));
  }

  @Override
  public void reply(String replyAddress, JsonObject body) {
    write(new JsonObject().put("type", "message").put("address", replyAddress).put("headers", new JsonObject())
        .put("body", body).put("send", true));
  }

  @Override
  public void failure(String replyAddress, String sourceAddress, ReplyException failure) {
    write(new JsonObject().put("type", "err").put("address", replyAddress).put("sourceAddress", sourceAddress)
        .put("failureCode", failure.failureCode()).put("failureType", failure.failureType().name())
        .put("message", failure.getMessage()));
  }

  @Override
  public void denied() {
    write(new JsonObject().put("type", "err").put("message", BridgeGuard.ACCESS_DENIED));
  }

  private void write(JsonObject frame) {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    socket.write(Buffer.buffer(json.length + 4).appendInt(json.length).appendBytes(json));
  }
}
