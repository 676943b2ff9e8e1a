package org.voicerelay.stt.bus;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions of one verticle instance, live and lingering, by id; and the node-wide count of
 * live sessions that {@code maxSessions} limits. The count is shared by every instance of the
 * verticle with the same prefix in one Vert.x instance (a node), through a local shared map; the
 * map of sessions is confined to the instance's context.
 */
final class SessionRegistry {

  private static final String SHARED_MAP = SessionRegistry.class.getName();

  /** A counter that survives in a local shared map. */
  private static final class NodeCount implements Shareable {
    final AtomicInteger live = new AtomicInteger();
  }

  private final Map<String, SessionEndpoint> sessions = new HashMap<>();
  private final AtomicInteger nodeLive;
  private final int maxSessions;

  SessionRegistry(Vertx vertx, String prefix, int maxSessions) {
    LocalMap<String, NodeCount> counts = vertx.sharedData().getLocalMap(SHARED_MAP);
    NodeCount fresh = new NodeCount();
    NodeCount existing = counts.putIfAbsent(prefix, fresh);
    this.nodeLive = (existing == null ? fresh : existing).live;
    this.maxSessions = maxSessions;
  }

  /** Takes one of the node's session slots, or returns false if all are taken. */
  boolean tryReserve() {
    while (true) {
      int n = nodeLive.get();
      if (n >= maxSessions) {
        return false;
      }
      if (nodeLive.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives back a slot taken by {@link #tryReserve()}, when the session closes or never opened. */
  void release() {
    nodeLive.decrementAndGet();
  }

  /** Live sessions on the node, for the gauge. */
  AtomicInteger nodeLive() {
    return nodeLive;
  }

  SessionEndpoint get(String id) {
    return sessions.get(id);
  }

  void add(SessionEndpoint session) {
    sessions.put(session.id(), session);
  }

  /** Forgets a session for good (its addresses are unregistered). */
  void remove(SessionEndpoint session) {
    sessions.remove(session.id(), session);
  }

  /** Audio the instance's sessions buffer toward the gateway, in bytes. */
  long bufferedBytes() {
    return sessions.values().stream().mapToLong(SessionEndpoint::bufferedBytes).sum();
  }

  /** Sent audio the instance's sessions keep for a replay, in bytes. */
  long replayBytes() {
    return sessions.values().stream().mapToLong(SessionEndpoint::replayBytes).sum();
  }

  List<SessionEndpoint> all() {
    return new ArrayList<>(sessions.values());
  }

  /** Sessions of this instance that are not closed yet. */
  List<SessionEndpoint> live() {
    return sessions.values().stream().filter(s -> s.state() != SessionEndpoint.State.CLOSED).toList();
  }
}
