package org.voicerelay.stt.web;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One SockJS connection (one page) and the sessions it opened: the only sessions whose audio and
 * control addresses it may send to and whose events it may receive. Used on the web verticle's
 * event loop only.
 */
final class BridgeConnection {

  /** A session opened for this connection; its addresses are known once the open is answered. */
  static final class OwnedSession {
    final String id;
    final String eventsAddress;
    final MessageConsumer<Object> tracker;
    String audioAddress;
    String controlAddress;
    boolean closed;
    long forgetTimer = -1;

    OwnedSession(String id, String eventsAddress, MessageConsumer<Object> tracker) {
      this.id = id;
      this.eventsAddress = eventsAddress;
      this.tracker = tracker;
    }

    boolean opened() {
      return audioAddress != null;
    }
  }

  private final String id;
  private final SockJSSocket socket;
  private final Map<String, OwnedSession> sessions = new LinkedHashMap<>();
  private boolean open = true;

  BridgeConnection(String id, SockJSSocket socket) {
    this.id = id;
    this.socket = socket;
  }

  String id() {
    return id;
  }

  SockJSSocket socket() {
    return socket;
  }

  boolean isOpen() {
    return open;
  }

  /** Marks the connection gone and hands back its sessions, to be closed. */
  List<OwnedSession> disconnect() {
    open = false;
    List<OwnedSession> all = new ArrayList<>(sessions.values());
    sessions.clear();
    return all;
  }

  /** Sessions being opened or open, not yet closed: what counts against the limit. */
  int liveSessions() {
    return (int) sessions.values().stream().filter(s -> !s.closed).count();
  }

  Collection<OwnedSession> sessions() {
    return sessions.values();
  }

  void reserve(OwnedSession session) {
    sessions.put(session.id, session);
  }

  OwnedSession session(String sessionId) {
    return sessions.get(sessionId);
  }

  void forget(String sessionId) {
    sessions.remove(sessionId);
  }

  /** Whether {@code address} is the audio or control address of a session this connection opened. */
  boolean ownsInput(String address) {
    for (OwnedSession s : sessions.values()) {
      if (address.equals(s.audioAddress) || address.equals(s.controlAddress)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code address} is the events address of a session this connection opened. */
  boolean ownsEvents(String address) {
    for (OwnedSession s : sessions.values()) {
      if (s.opened() && address.equals(s.eventsAddress)) {
        return true;
      }
    }
    return false;
  }
}
