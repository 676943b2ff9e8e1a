package org.voicerelay.stt.protocol;

/** The {@code type} values of the wire frames, in both directions. */
public final class MessageType {

  private MessageType() {
  }

  // client -> gateway
  public static final String SESSION_CREATE = "session.create";
  public static final String INPUT_AUDIO = "input_audio";
  public static final String SESSION_FINALIZE = "session.finalize";
  public static final String SESSION_UPDATE = "session.update";
  public static final String SESSION_CLOSE = "session.close";

  // gateway -> client
  public static final String SESSION_CREATED = "session.created";
  public static final String SESSION_FINALIZED = "session.finalized";
  public static final String SESSION_CLOSED = "session.closed";
  public static final String START_OF_SPEECH = "start_of_speech";
  public static final String INTERIM_TRANSCRIPT = "interim_transcript";
  public static final String PREFLIGHT_TRANSCRIPT = "preflight_transcript";
  public static final String FINAL_TRANSCRIPT = "final_transcript";
  public static final String ERROR = "error";

  /** Gateway error code: the gateway closed an inactive session; not worth retrying. */
  public static final int ERROR_CODE_INACTIVE_SESSION = 2007;
}
