package org.voicerelay.stt.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import java.util.Base64;
import org.voicerelay.stt.audio.AudioFormat;

/**
 * Reads the body of an audio message as the contract allows it: a Buffer (or byte array) of
 * pcm_s16le, or {@code {"audio": "<base64>"}} for bridge clients that cannot send binary. A
 * session and a resumable front take audio on the same terms, so both read it here.
 */
final class AudioMessages {

  private static final String SHAPE = "an audio message is a Buffer of pcm_s16le or {\"audio\": \"<base64>\"}";

  private AudioMessages() {
  }

  /**
   * The PCM of an audio message.
   *
   * @throws ReplyException 400 for a body of another shape, 413 above {@code maxBytes} (decoded),
   *     422 for base64 that does not decode or an odd number of bytes
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
