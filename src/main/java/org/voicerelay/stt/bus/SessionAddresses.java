package org.voicerelay.stt.bus;

/** The addresses of one session, as {@link BusContract} names them. */
record SessionAddresses(String audio, String control, String defaultEvents) {

  static SessionAddresses of(String prefix, String sessionId) {
    return new SessionAddresses(BusContract.audioAddress(prefix, sessionId),
        BusContract.controlAddress(prefix, sessionId), BusContract.defaultEventsAddress(prefix, sessionId));
  }
}
