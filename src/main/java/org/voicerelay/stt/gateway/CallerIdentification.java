package org.voicerelay.stt.gateway;

import io.vertx.core.MultiMap;

/**
 * The identification headers a client sent at the upgrade, as one line for the session's log:
 * {@code User-Agent}, {@code X-LiveKit-Session-ID}, room, job, agent and priority as sent, and of
 * the worker token only whether there was one. The token itself is never kept.
 */
final class CallerIdentification {

  private CallerIdentification() {
  }

  static String describe(MultiMap headers) {
    StringBuilder line = new StringBuilder();
    append(line, "userAgent", headers.get("User-Agent"));
    append(line, "clientSessionId", headers.get("X-LiveKit-Session-ID"));
    append(line, "room", headers.get("X-LiveKit-Room-ID"));
    append(line, "job", headers.get("X-LiveKit-Job-ID"));
    append(line, "agent", headers.get("X-LiveKit-Agent-ID"));
    append(line, "priority", headers.get("X-LiveKit-Inference-Priority"));
    line.append(" workerToken=").append(headers.contains("X-LiveKit-Worker-Token") ? "present" : "absent");
    return line.toString().trim();
  }

  private static void append(StringBuilder line, String name, String value) {
    if (value != null) {
      line.append(' ').append(name).append('=').append(abbreviate(value));
    }
  }

  /** Header values are the client's: kept short and on one line in the log. */
  private static String abbreviate(String value) {
    String oneLine = value.replaceAll("[\\r\\n\\t]", " ");
    return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 80) + "...";
  }
}
