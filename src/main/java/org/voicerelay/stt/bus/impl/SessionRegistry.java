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

  /**
   * What the instance's open sessions hold, in one pass: audio buffered toward the gateway and
   * sent audio kept for a replay (bytes), and the longest deaf spell under way (ms).
   */
  record Figures(long bufferedBytes, long replayBytes, long longestDeafMs) {
  }

  Figures figures() {
    long buffered = 0;
    long replay = 0;
    long deaf = 0;
    for (SessionEndpoint session : sessions.values()) {
      buffered += session.whileOpen(SessionBackend::bufferedBytes);
      replay += session.whileOpen(SessionBackend::replayBytes);
      deaf = Math.max(deaf, session.whileOpen(SessionBackend::deafForMs));
    }
    return new Figures(buffered, replay, deaf);
  }

  List<SessionEndpoint> all() {
    return new ArrayList<>(sessions.values());
  }

  /** Sessions of this instance that are not closed yet. */
  List<SessionEndpoint> live() {
    return sessions.values().stream().filter(s -> s.state() != SessionEndpoint.State.CLOSED).toList();
  }
}
