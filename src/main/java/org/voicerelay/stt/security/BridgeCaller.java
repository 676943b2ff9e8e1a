package org.voicerelay.stt.security;

import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One bridge connection: who it is (the token's subject once proven), the sessions it may use
 * (those it opened, or opened again by id as the same subject), and the registrations the guard
 * keeps for it. Used on the bridge's event loop only.
 */
public final class BridgeCaller {

  /** Events held for a registration that is not live yet, at most; older ones are dropped first. */
  static final int MAX_HELD_EVENTS = 256;

  /** A registration for an events address; live once the caller holds a session publishing there. */
  static final class Registration {
    final String address;
    final MessageConsumer<Object> consumer;
    final Deque<Object> held = new ArrayDeque<>();
    boolean live;

    Registration(String address, MessageConsumer<Object> consumer) {
      this.address = address;
      this.consumer = consumer;
    }
  }

  private final String id;
  private final BridgeWire wire;
  private final Map<String, OwnedSession> sessions = new LinkedHashMap<>();
  private final Map<String, Registration> registrations = new LinkedHashMap<>();
  private String subject;
  private String lastAuthorization;
  private long authorizedUntilMs;
  private boolean open = true;

  BridgeCaller(String id, BridgeWire wire) {
    this.id = id;
    this.wire = wire;
  }

  public String id() {
    return id;
  }

  BridgeWire wire() {
    return wire;
  }

  boolean isOpen() {
    return open;
  }

  /** The token's subject, or null (no authentication, or no frame checked yet). */
  String subject() {
    return subject;
  }

  /** Who owns what this caller opens: its subject with authentication, else the connection. */
  String owner() {
    return subject != null ? "sub:" + subject : "conn:" + id;
  }

  /** Whether {@code authorization} is the header last accepted and still valid: no second check. */
  boolean alreadyAuthorized(String authorization, long now) {
    return authorization != null && authorization.equals(lastAuthorization) && now < authorizedUntilMs;
  }

  void authorized(String subject, String authorization, long untilMs) {
    this.subject = subject;
    this.lastAuthorization = authorization;
    this.authorizedUntilMs = untilMs;
  }

  void hold(OwnedSession session) {
    sessions.put(session.id, session);
    activate(session.eventsAddress);
  }

  OwnedSession session(String id) {
    return sessions.get(id);
  }

  /** The session is no longer this caller's to use (forgotten after closing): its registration waits again. */
  void drop(OwnedSession session) {
    if (sessions.remove(session.id, session)) {
      Registration r = registrations.get(session.eventsAddress);
      if (r != null) {
        r.live = false;
        r.held.clear();
      }
    }
  }

  List<OwnedSession> sessions() {
    return new ArrayList<>(sessions.values());
  }

  /** Whether {@code address} is the audio or control address of a session this caller holds. */
  boolean holdsInput(String address) {
    for (OwnedSession s : sessions.values()) {
      if (!s.forgotten && (address.equals(s.audioAddress) || address.equals(s.controlAddress))) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code address} is the events address of a session this caller holds. */
  boolean holdsEvents(String address) {
    for (OwnedSession s : sessions.values()) {
      if (!s.forgotten && s.opened() && address.equals(s.eventsAddress)) {
        return true;
      }
    }
    return false;
  }

  Registration registration(String address) {
    return registrations.get(address);
  }

  int registrations() {
    return registrations.size();
  }

  void register(Registration registration) {
    registrations.put(registration.address, registration);
    registration.live = holdsEvents(registration.address);
  }

  Registration unregister(String address) {
    return registrations.remove(address);
  }

  /** A message for a registration: delivered if live, else held for a caller's open that may come. */
  void deliver(Registration registration, Object body) {
    if (!open || registrations.get(registration.address) != registration) {
      return;
    }
    if (registration.live) {
      wire.event(registration.address, body);
      return;
    }
    if (registration.held.size() >= MAX_HELD_EVENTS) {
      registration.held.removeFirst();
    }
    registration.held.addLast(body);
  }

  /**
   * The caller's claim of an id (or events address) is new: whatever its registration held was
   * published by a session that is not its own, and is forgotten.
   */
  void forgetHeld(String eventsAddress) {
    Registration r = registrations.get(eventsAddress);
    if (r != null && !r.live) {
      r.held.clear();
    }
  }

  /** The caller now holds a session publishing to {@code eventsAddress}: its registration goes live. */
  private void activate(String eventsAddress) {
    Registration r = registrations.get(eventsAddress);
    if (r == null || r.live || !holdsEvents(eventsAddress)) {
      return;
    }
    r.live = true;
    while (!r.held.isEmpty()) {
      wire.event(r.address, r.held.removeFirst());
    }
  }

  /** Marks the connection gone; hands back its registrations, to be unregistered. */
  List<Registration> disconnect() {
    open = false;
    List<Registration> all = new ArrayList<>(registrations.values());
    registrations.clear();
    return all;
  }

  @Override
  public String toString() {
    return "BridgeCaller[" + id + (subject != null ? ", subject " + subject : "") + "]";
  }
}
