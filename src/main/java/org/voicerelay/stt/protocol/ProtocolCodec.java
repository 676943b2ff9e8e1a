package org.voicerelay.stt.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.vertx.core.buffer.Buffer;

/**
 * Encodes and decodes wire frames. The {@code input_audio} frame, sent twenty times a second per
 * stream, is written by hand: it is a constant prefix, base64 and a constant suffix, and skipping
 * the object mapper there is the single largest saving on the client's hot path.
 */
public final class ProtocolCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .registerModule(new io.vertx.core.json.jackson.VertxModule());

  private static final byte[] AUDIO_PREFIX =
      "{\"type\":\"input_audio\",\"audio\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] AUDIO_SUFFIX = "\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  public static final String FINALIZE_FRAME = "{\"type\":\"session.finalize\"}";
  public static final String CLOSE_FRAME = "{\"type\":\"session.close\"}";

  private ProtocolCodec() {
  }

  /** The shared mapper (snake_case, tolerant of unknown fields). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static String encode(Object message) {
    try {
      return MAPPER.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + message.getClass().getSimpleName(), e);
    }
  }

  /** An {@code input_audio} frame carrying {@code length} bytes of {@code pcm} from {@code offset}. */
  public static String encodeAudio(byte[] pcm, int offset, int length) {
    return new String(encodeAudioFrame(pcm, offset, length), java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * The {@code input_audio} frame as UTF-8 bytes: prefix, standard padded base64 of the range,
   * suffix, built in one array (no String and no intermediate base64 buffer on the hot path).
   */
  public static byte[] encodeAudioFrame(byte[] pcm, int offset, int length) {
    int b64 = (length + 2) / 3 * 4;
    byte[] out = new byte[AUDIO_PREFIX.length + b64 + AUDIO_SUFFIX.length];
    System.arraycopy(AUDIO_PREFIX, 0, out, 0, AUDIO_PREFIX.length);
    int o = AUDIO_PREFIX.length;
    int i = offset;
    int end = offset + length;
    int whole = offset + length / 3 * 3;
    while (i < whole) {
      int bits = (pcm[i] & 0xff) << 16 | (pcm[i + 1] & 0xff) << 8 | (pcm[i + 2] & 0xff);
      out[o] = BASE64[bits >>> 18];
      out[o + 1] = BASE64[(bits >>> 12) & 0x3f];
      out[o + 2] = BASE64[(bits >>> 6) & 0x3f];
      out[o + 3] = BASE64[bits & 0x3f];
      i += 3;
      o += 4;
    }
    int rest = end - i;
    if (rest > 0) {
      int bits = (pcm[i] & 0xff) << 16 | (rest == 2 ? (pcm[i + 1] & 0xff) << 8 : 0);
      out[o] = BASE64[bits >>> 18];
      out[o + 1] = BASE64[(bits >>> 12) & 0x3f];
      out[o + 2] = rest == 2 ? BASE64[(bits >>> 6) & 0x3f] : (byte) '=';
      out[o + 3] = '=';
      o += 4;
    }
    System.arraycopy(AUDIO_SUFFIX, 0, out, o, AUDIO_SUFFIX.length);
    return out;
  }

  /**
   * Parses a gateway frame.
   *
   * @throws ProtocolException if the text is not a JSON object with a string {@code type}
   */
  public static ServerMessage decodeServerMessage(String text) {
    JsonNode node = readObject(text);
    try {
      return MAPPER.treeToValue(node, ServerMessage.class);
    } catch (JsonProcessingException e) {
      throw new ProtocolException("malformed " + node.get("type").asText() + " frame: "
          + e.getOriginalMessage());
    }
  }

  /** Parses any frame into a tree, checking only that it is an object with a string type. */
  public static JsonNode readObject(String text) {
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ProtocolException("frame is not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new ProtocolException("frame is not a JSON object");
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      throw new ProtocolException("frame has no string \"type\"");
    }
    return node;
  }

  public static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new ProtocolException("malformed " + type.getSimpleName() + ": " + e.getOriginalMessage());
    }
  }

  public static Buffer toBuffer(Object message) {
    return Buffer.buffer(encode(message));
  }
}
