package org.voicerelay.stt.web;

import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The live bridge connections, by socket (for the bridge's events) and by id (for the opener,
 * which learns the connection from a header the guard sets). Used on the web verticle's event
 * loop only.
 */
final class BridgeConnections {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<SockJSSocket, BridgeConnection> bySocket = new HashMap<>();
  private final Map<String, BridgeConnection> byId = new HashMap<>();

  BridgeConnection add(SockJSSocket socket) {
    BridgeConnection connection = new BridgeConnection(randomId("c"), socket);
    bySocket.put(socket, connection);
    byId.put(connection.id(), connection);
    return connection;
  }

  BridgeConnection get(SockJSSocket socket) {
    return bySocket.get(socket);
  }

  BridgeConnection get(String id) {
    return id == null ? null : byId.get(id);
  }

  BridgeConnection remove(SockJSSocket socket) {
    BridgeConnection connection = bySocket.remove(socket);
    if (connection != null) {
      byId.remove(connection.id());
    }
    return connection;
  }

  List<BridgeConnection> all() {
    return new ArrayList<>(bySocket.values());
  }

  int size() {
    return bySocket.size();
  }

  /** An unguessable id: 128 random bits, in the characters session ids allow. */
  static String randomId(String prefix) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return prefix + "_" + HexFormat.of().formatHex(bytes);
  }
}
