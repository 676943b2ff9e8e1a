package org.voicerelay.stt.bus.impl;

import java.util.UUID;

/** Session ids the bus layer makes up: who made it ({@code kind}), then 20 random hex digits. */
final class SessionIds {

  private SessionIds() {
  }

  static String random(String kind) {
    return kind + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
  }
}
