package org.voicerelay.stt.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Map;
import org.voicerelay.stt.client.SttException;

/**
 * The failure codes of the event-bus contract: the {@code failureCode} of the
 * {@link ReplyException} a request fails with, and the {@code error.failureCode} of the
 * {@code error} event a fire-and-forget message gets instead. They are plain ints modelled on HTTP
 * statuses so that every language and the bridges ({@code failureCode} of an {@code err} frame)
 * read them without any Java type; {@link #name(int)} gives the lower-case name that events and
 * metrics use.
 *
 * <p>An address nobody consumes (a session id that never existed, or one that ended longer than
 * {@code closedSessionLingerMs} ago) is answered by the event bus itself with
 * {@code ReplyFailure.NO_HANDLERS} (failure code -1): no code of this class is involved.
 */
public final class BusErrorCode {

  /** Not a JSON object, malformed JSON, a field of the wrong type or value, an unknown action. */
  public static final int BAD_REQUEST = 400;

  /** {@code eventsAddress} outside {@code allowedEventsPrefixes}, or one of the contract's input addresses. */
  public static final int FORBIDDEN_EVENTS_ADDRESS = 403;

  /** Audio, {@code flush} or {@code update} after {@code end}: the input of the session is over. */
  public static final int INPUT_ENDED = 409;

  /** The session is over (closed, idle, failed or undeployed); its address answers this for a while. */
  public static final int SESSION_CLOSED = 410;

  /** An audio message larger than {@code maxAudioMessageBytes} (decoded PCM bytes). */
  public static final int AUDIO_TOO_LARGE = 413;

  /** Audio that is not pcm_s16le: an odd number of bytes, or {@code audio} that is not base64. */
  public static final int INVALID_AUDIO = 422;

  /**
   * A control action the session's model does not take ({@code context} for a model without chat
   * context, {@code update} of keyterms for one without keyterms): 422 as well, named
   * {@code unsupported} in its message; events never carry it.
   */
  public static final int UNSUPPORTED = 422;

  /** The node already serves {@code maxSessions} sessions. */
  public static final int TOO_MANY_SESSIONS = 429;

  /**
   * An open through a bridge by a caller who already has {@code bridge.auth.maxSessionsPerSubject}
   * sessions open on the node (per token subject, or per connection without authentication). Not
   * an HTTP status: a 4xx because the caller must close one of its sessions, where 429 and 503 say
   * the node is full.
   */
  public static final int QUOTA_EXCEEDED = 430;

  /** An unexpected failure inside the verticle; the session and the verticle go on. */
  public static final int INTERNAL_ERROR = 500;

  /** The session ended because the gateway failed for good (the {@code end} reply says so). */
  public static final int GATEWAY_FAILURE = 502;

  /**
   * The node takes no new session now: it is saturated (its event loops lag, or its sessions'
   * buffered audio is high), its audio budget holds no further session, it has admitted
   * {@code maxAdmissionsPerSecond} sessions in the last second, or the verticle is being
   * undeployed. A node that does not admit passes its callers' opens on to another node; only a
   * caller with no other node gets this. Open again later.
   */
  public static final int OVERLOADED = 503;

  /**
   * The verticle is being undeployed: the same code as {@link #OVERLOADED}, because the caller does
   * the same (opens later, or elsewhere); the message says which.
   */
  public static final int SHUTTING_DOWN = OVERLOADED;

  /** The session already buffers {@code maxBufferedBytes} toward the gateway: the gateway is slower than the audio. */
  public static final int BUFFER_FULL = 507;

  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(BAD_REQUEST, "bad_request"),
      Map.entry(FORBIDDEN_EVENTS_ADDRESS, "forbidden_events_address"),
      Map.entry(INPUT_ENDED, "input_ended"),
      Map.entry(SESSION_CLOSED, "session_closed"),
      Map.entry(AUDIO_TOO_LARGE, "audio_too_large"),
      Map.entry(INVALID_AUDIO, "invalid_audio"),
      Map.entry(TOO_MANY_SESSIONS, "too_many_sessions"),
      Map.entry(QUOTA_EXCEEDED, "quota_exceeded"),
      Map.entry(INTERNAL_ERROR, "internal_error"),
      Map.entry(GATEWAY_FAILURE, "gateway_failure"),
      Map.entry(OVERLOADED, "overloaded"),
      Map.entry(BUFFER_FULL, "buffer_full"));

  private BusErrorCode() {
  }

  /** The lower-case name of a code ({@code "buffer_full"}), or {@code "unknown"}. */
  public static String name(int code) {
    return NAMES.getOrDefault(code, "unknown");
  }

  /** Every code with its name, e.g. for documentation checks. */
  public static Map<Integer, String> all() {
    return NAMES;
  }

  /** The failure to reply with (or to turn into an {@code error} event). */
  public static ReplyException failure(int code, String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message);
  }

  /**
   * A failure as a caller hears it: a {@link ReplyException} with a code of this class stays as it
   * is, a client's {@link SttException} gets the code of its kind, anything else {@code otherwise}
   * with {@code what} and the cause in its message. The one mapping of the bus; nothing else words
   * failures for callers.
   */
  public static ReplyException of(Throwable cause, int otherwise, String what) {
    if (cause instanceof ReplyException e && e.failureCode() > 0) {
      return e;
    }
    if (cause instanceof SttException e) {
      return switch (e.code()) {
        case BUFFER_FULL -> failure(BUFFER_FULL, e.getMessage());
        case INVALID_AUDIO -> failure(INVALID_AUDIO, e.getMessage());
        case STREAM_CLOSED -> failure(SESSION_CLOSED, e.getMessage());
        case UNSUPPORTED -> failure(UNSUPPORTED, "unsupported: " + e.getMessage());
        default -> failure(GATEWAY_FAILURE, e.getMessage());
      };
    }
    return failure(otherwise, what + ": " + (cause.getMessage() != null ? cause.getMessage() : cause));
  }
}
