package org.voicerelay.stt.security;

import io.vertx.core.eventbus.MessageConsumer;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A session opened through a bridge, as its owner's: the addresses its owner may use once its open
 * is answered, and the claims to give back when it closes. Used on the bridge's event loop only.
 */
final class OwnedSession {

  final String id;
  final String owner;
  final String eventsAddress;
  /** The claim key of a custom events address, or null for the session's default one. */
  final String eventsClaim;
  /** The connections that may use it: the one that opened it, and any that opened it again by id. */
  final Set<BridgeCaller> holders = new LinkedHashSet<>();
  MessageConsumer<Object> tracker;
  String audioAddress;
  String controlAddress;
  boolean closed;
  boolean forgotten;

  OwnedSession(String id, String owner, String eventsAddress, String eventsClaim) {
    this.id = id;
    this.owner = owner;
    this.eventsAddress = eventsAddress;
    this.eventsClaim = eventsClaim;
  }

  boolean opened() {
    return audioAddress != null;
  }

  /** Counts against its owner's quota: being opened, or open. */
  boolean live() {
    return !closed && !forgotten;
  }
}
