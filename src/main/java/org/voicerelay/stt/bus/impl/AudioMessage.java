package org.voicerelay.stt.bus.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import java.util.Base64;
import org.voicerelay.stt.audio.AudioFormat;
import org.voicerelay.stt.bus.BusErrorCode;

/**
 * What the body of an audio message may be: a Buffer (or byte array) of pcm_s16le, or
 * {@code {"audio": "<base64>"}} (also as JSON text) for senders that cannot send binary; never
 * larger than {@code maxAudioMessageBytes}, always whole samples.
 */
final class AudioMessage {

  private static final String SHAPE = "an audio message is a Buffer of pcm_s16le or {\"audio\": \"<base64>\"}";

  private AudioMessage() {
  }

  /**
   * The PCM of an audio message body.
   *
   * @throws ReplyException 400, 413 or 422 with a message that says what is wrong
   */
  static Buffer pcm(Object body, int maxBytes) {
    Buffer pcm;
    if (body instanceof Buffer b) {
      pcm = b;
    } else if (body instanceof byte[] bytes) {
      pcm = Buffer.buffer(bytes);
    } else {
      String audio = RequestFields.of(body).string("audio");
      if (audio == null) {
        throw RequestFields.bad(SHAPE);
      }
      if ((long) audio.length() / 4 * 3 > maxBytes + 3L) {
        throw tooLarge(maxBytes, audio.length() / 4 * 3);
      }
      try {
        pcm = Buffer.buffer(Base64.getDecoder().decode(audio));
      } catch (IllegalArgumentException e) {
        throw BusErrorCode.failure(BusErrorCode.INVALID_AUDIO, "audio is not valid base64: " + e.getMessage());
      }
    }
    if (pcm.length() > maxBytes) {
      throw tooLarge(maxBytes, pcm.length());
    }
    if (!AudioFormat.isWholeSamples(pcm.length())) {
      throw BusErrorCode.failure(BusErrorCode.INVALID_AUDIO, AudioFormat.oddLengthMessage(pcm.length()));
    }
    return pcm;
  }

  private static ReplyException tooLarge(int maxBytes, long bytes) {
    return BusErrorCode.failure(BusErrorCode.AUDIO_TOO_LARGE, "an audio message may hold at most " + maxBytes
        + " bytes (maxAudioMessageBytes), got " + bytes);
  }
}
