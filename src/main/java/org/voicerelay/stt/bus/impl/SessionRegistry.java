package org.voicerelay.stt.bus.impl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sessions of one verticle instance, live and lingering, by id; confined to the instance's
 * context. (The node's count of live sessions is its {@link AdmissionControl}'s.)
 */
final class SessionRegistry {

  private final Map<String, SessionEndpoint> sessions = new HashMap<>();

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
    return sessions.values().stream().mapToLong(s -> s.whileOpen(SessionBackend::bufferedBytes)).sum();
  }

  /** Sent audio the instance's sessions keep for a replay, in bytes. */
  long replayBytes() {
    return sessions.values().stream().mapToLong(s -> s.whileOpen(SessionBackend::replayBytes)).sum();
  }

  /** The longest deaf spell under way among the instance's sessions, in ms. */
  long longestDeafMs() {
    return sessions.values().stream().mapToLong(s -> s.whileOpen(SessionBackend::deafForMs)).max().orElse(0);
  }

  List<SessionEndpoint> all() {
    return new ArrayList<>(sessions.values());
  }

  /** Sessions of this instance that are not closed yet. */
  List<SessionEndpoint> live() {
    return sessions.values().stream().filter(s -> s.state() != SessionEndpoint.State.CLOSED).toList();
  }
}
