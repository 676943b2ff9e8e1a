package org.voicerelay.stt.bus;

import java.util.regex.Pattern;

/** The addresses of the contract, in one place so the verticle, the bridge and the docs agree. */
record SessionAddresses(String audio, String control, String defaultEvents) {

  static SessionAddresses of(String prefix, String sessionId) {
    String base = prefix + ".session." + sessionId;
    return new SessionAddresses(base + ".audio", base + ".control", base + ".events");
  }

  static String open(String prefix) {
    return prefix + ".open";
  }

  /** {@code <prefix>.session.<id>.(audio|control)}: what callers send to. */
  static String inputRegex(String prefix) {
    return Pattern.quote(prefix + ".session.") + "[A-Za-z0-9_-]{1,64}\\.(audio|control)";
  }

  /** {@code <prefix>.session.<id>.events}: the default events addresses. */
  static String eventsRegex(String prefix) {
    return Pattern.quote(prefix + ".session.") + "[A-Za-z0-9_-]{1,64}\\.events";
  }
}
