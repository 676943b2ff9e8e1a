package org.voicerelay.stt.bus;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The names of the event-bus contract in one place: addresses, control actions, event types and
 * the reasons a session closes. The failure codes are {@link BusErrorCode}. The bus, the bridges,
 * the cluster code and the AsyncAPI test all read these, so a name is spelled once.
 */
public final class BusContract {

  /** A session id: it ends up inside addresses, so no dots, no blanks. */
  public static final String SESSION_ID_REGEX = "[A-Za-z0-9_-]{1,64}";

  /** The default address prefix. */
  public static final String DEFAULT_PREFIX = "stt";

  /** Control actions, the {@code action} field of a control request. */
  public static final String ACTION_FLUSH = "flush";
  public static final String ACTION_END = "end";
  public static final String ACTION_UPDATE = "update";
  public static final String ACTION_CLOSE = "close";
  public static final String ACTION_STATUS = "status";
  public static final String ACTION_CONTEXT = "context";
  public static final List<String> ACTIONS = List.of(ACTION_FLUSH, ACTION_END, ACTION_UPDATE, ACTION_CONTEXT, ACTION_CLOSE,
      ACTION_STATUS);

  /** Event types, the {@code type} field of an event. */
  public static final String EVENT_START_OF_SPEECH = "start_of_speech";
  public static final String EVENT_INTERIM_TRANSCRIPT = "interim_transcript";
  public static final String EVENT_PREFLIGHT_TRANSCRIPT = "preflight_transcript";
  public static final String EVENT_FINAL_TRANSCRIPT = "final_transcript";
  public static final String EVENT_END_OF_SPEECH = "end_of_speech";
  public static final String EVENT_RECOGNITION_USAGE = "recognition_usage";
  public static final String EVENT_RECONNECTING = "reconnecting";
  public static final String EVENT_ERROR = "error";
  public static final String EVENT_CLOSED = "closed";
  /** A resumable session's recognition moved to another node (after the node serving it was lost). */
  public static final String EVENT_RECOGNITION_MOVED = "recognition_moved";
  public static final List<String> EVENT_TYPES = List.of(EVENT_START_OF_SPEECH, EVENT_INTERIM_TRANSCRIPT,
      EVENT_PREFLIGHT_TRANSCRIPT, EVENT_FINAL_TRANSCRIPT, EVENT_END_OF_SPEECH, EVENT_RECOGNITION_USAGE,
      EVENT_RECONNECTING, EVENT_ERROR, EVENT_CLOSED, EVENT_RECOGNITION_MOVED);

  /** Why a session closed, the {@code reason} field of a {@code closed} event. */
  public static final String REASON_ENDED = "ended";
  public static final String REASON_CLOSED = "closed";
  public static final String REASON_IDLE = "idle_timeout";
  public static final String REASON_FAILED = "failed";
  public static final String REASON_SHUTDOWN = "shutdown";
  public static final String REASON_NODE_LOST = "node_lost";
  public static final List<String> REASONS = List.of(REASON_ENDED, REASON_CLOSED, REASON_IDLE, REASON_FAILED,
      REASON_SHUTDOWN, REASON_NODE_LOST);

  /** The {@code state} of a session in a {@code status} reply. */
  public static final String STATE_OPEN = "open";
  public static final String STATE_ENDING = "ending";
  public static final String STATE_CLOSED = "closed";

  private BusContract() {
  }

  /** {@code <prefix>.open}: where sessions are opened. */
  public static String openAddress(String prefix) {
    return prefix + ".open";
  }

  /**
   * {@code <prefix>.open.admitting}: consumed cluster-wide only by nodes that admit sessions. A
   * saturated node passes the opens of its own callers on to it; not for callers (the bridges do
   * not let it through).
   */
  public static String admittingOpenAddress(String prefix) {
    return prefix + ".open.admitting";
  }

  /** {@code <prefix>.session.<id>.audio}. */
  public static String audioAddress(String prefix, String sessionId) {
    return sessionBase(prefix, sessionId) + ".audio";
  }

  /** {@code <prefix>.session.<id>.control}. */
  public static String controlAddress(String prefix, String sessionId) {
    return sessionBase(prefix, sessionId) + ".control";
  }

  /** {@code <prefix>.session.<id>.events}: the events address when the caller names none. */
  public static String defaultEventsAddress(String prefix, String sessionId) {
    return sessionBase(prefix, sessionId) + ".events";
  }

  /** Matches {@code <prefix>.session.<id>.(audio|control)}: what callers send to. */
  public static String inputAddressRegex(String prefix) {
    return Pattern.quote(sessionAddressPrefix(prefix)) + SESSION_ID_REGEX + "\\.(audio|control)";
  }

  /** Matches {@code <prefix>.session.<id>.events}: the default events addresses. */
  public static String eventsAddressRegex(String prefix) {
    return Pattern.quote(sessionAddressPrefix(prefix)) + SESSION_ID_REGEX + "\\.events";
  }

  /**
   * Checks {@code allowedEventsPrefixes} against the contract: an outbound bridge permission
   * {@code <allowed>.*} must not cover the open, audio or control addresses (a bridge client could
   * then listen to another caller's audio), so a prefix may not be a start of {@code <prefix>.},
   * and one inside {@code <prefix>.} must start with {@code <prefix>.events.}.
   *
   * @throws IllegalArgumentException naming the first prefix that overlaps the contract
   */
  public static void checkEventsPrefixes(String prefix, List<String> allowedEventsPrefixes) {
    String namespace = prefix + ".";
    String eventsSpace = prefix + ".events.";
    for (String allowed : allowedEventsPrefixes) {
      if (namespace.startsWith(allowed) || allowed.startsWith(namespace) && !allowed.startsWith(eventsSpace)) {
        throw new IllegalArgumentException("allowedEventsPrefixes must not contain '" + allowed
            + "': it overlaps the contract's addresses under '" + namespace + "' (a bridge client could"
            + " register on session audio and control); use your own prefix such as 'app.', or '"
            + eventsSpace + "'");
      }
    }
  }

  /** {@code <prefix>.session.}: the start of every session address. */
  public static String sessionAddressPrefix(String prefix) {
    return prefix + ".session.";
  }

  private static String sessionBase(String prefix, String sessionId) {
    return sessionAddressPrefix(prefix) + sessionId;
  }
}
