package org.voicerelay.stt.security;

import io.vertx.core.Handler;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.eventbus.bridge.tcp.BridgeEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * The TCP event-bus bridge's event handler: hands each frame to the {@link BridgeGuard}. A frame
 * the guard deals with itself is never completed, so the bridge neither carries it out nor writes
 * a frame of its own (its refusal would say "blocked by bridgeEvent handler", not
 * {@code access_denied}). The bridge reports no new or closed connection, so a connection is
 * known from its first frame and its end is watched on the socket.
 */
public final class TcpBridgeEvents implements Handler<BridgeEvent> {

  private final BridgeGuard guard;
  private final Map<NetSocket, BridgeCaller> callers = new HashMap<>();

  public TcpBridgeEvents(BridgeGuard guard) {
    this.guard = guard;
  }

  @Override
  public void handle(BridgeEvent event) {
    if (event.type() == BridgeEventType.REGISTERED) {
      event.complete(true);
      return;
    }
    NetSocket socket = event.socket();
    BridgeCaller caller = callers.get(socket);
    if (caller == null) {
      caller = guard.connect(new TcpBridgeWire(socket));
      callers.put(socket, caller);
      socket.closeHandler(v -> guard.disconnected(callers.remove(socket)));
    }
    if (guard.inbound(caller, event.type(), event.getRawMessage())) {
      event.complete(true);
    }
  }

  /** Live connections that have sent a frame. */
  public int connections() {
    return callers.size();
  }
}
