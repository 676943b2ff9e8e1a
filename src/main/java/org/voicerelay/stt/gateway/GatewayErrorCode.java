package org.voicerelay.stt.gateway;

import org.voicerelay.stt.protocol.MessageType;

/**
 * The {@code code} of the local gateway's {@code error} frames. Clients act on the number, so the
 * numbers are part of the protocol and never change meaning.
 *
 * <p>2007 is LiveKit's own code for an inactive session; the 4000 range is a frame the client got
 * wrong (4000-4099) or a limit it hit (4100-4199); the 5000 range is the gateway's own failure.
 * After a <em>fatal</em> error the gateway closes the socket; after any other the session goes on
 * as if the offending frame had not been sent.
 */
public final class GatewayErrorCode {

  private GatewayErrorCode() {
  }

  /** Fatal: the session sent nothing for the idle timeout; the gateway closes it. Not retryable. */
  public static final int INACTIVE_SESSION = MessageType.ERROR_CODE_INACTIVE_SESSION;

  /** The frame is not JSON, not a JSON object, or has no string {@code type}. */
  public static final int MALFORMED_JSON = 4000;

  /** The frame's {@code type} is not one a client may send. */
  public static final int UNKNOWN_MESSAGE_TYPE = 4001;

  /** {@code input_audio}, {@code session.finalize} or {@code session.update} before {@code session.create}. */
  public static final int SESSION_NOT_CREATED = 4002;

  /** A second {@code session.create} on a connection whose session already exists. */
  public static final int SESSION_ALREADY_CREATED = 4003;

  /** A known frame type whose fields have the wrong shape (e.g. {@code audio} missing or not a string). */
  public static final int INVALID_MESSAGE = 4004;

  /** {@code input_audio} whose {@code audio} is not valid base64. */
  public static final int INVALID_BASE64 = 4005;

  /** {@code input_audio} whose decoded length is odd, so it cannot be pcm_s16le. */
  public static final int ODD_LENGTH_AUDIO = 4006;

  /** {@code session.create} asked for an encoding other than {@code pcm_s16le}. */
  public static final int UNSUPPORTED_ENCODING = 4007;

  /** {@code session.create} asked for a sample rate that is not a whole number in [8000, 192000]. */
  public static final int UNSUPPORTED_SAMPLE_RATE = 4008;

  /** A binary WebSocket frame; audio travels base64 inside {@code input_audio} text frames. */
  public static final int BINARY_FRAME = 4009;

  /**
   * {@code session.create} or {@code session.update} asked for a language the engine cannot
   * recognise (the Sphinx4 engine recognises English only); the session is not created, or keeps
   * its language.
   */
  public static final int UNSUPPORTED_LANGUAGE = 4010;

  /** Fatal: the gateway already serves its maximum number of sessions. Retry later. */
  public static final int TOO_MANY_SESSIONS = 4100;

  /** Fatal: the engine is further behind than the per-session audio buffer allows. */
  public static final int AUDIO_BUFFER_OVERFLOW = 4101;

  /** Fatal: the recognition engine failed for this session. */
  public static final int ENGINE_FAILURE = 5000;
}
