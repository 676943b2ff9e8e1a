package org.voicerelay.stt.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Encodes and decodes wire frames. The {@code input_audio} frame, sent twenty times a second per
 * stream, skips the object mapper: it is a constant prefix, base64 and a constant suffix, and the
 * base64 is the JDK's {@link Base64} encoder, which HotSpot replaces by a vectorised intrinsic.
 */
public final class ProtocolCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .registerModule(new io.vertx.core.json.jackson.VertxModule());

  /** {@link #MAPPER}, but a number or boolean where a string belongs fails instead of being coerced. */
  private static final ObjectReader SERVER_MESSAGES = strictStrings(MAPPER.copy()).readerFor(ServerMessage.class);

  private static final byte[] AUDIO_PREFIX =
      "{\"type\":\"input_audio\",\"audio\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] AUDIO_SUFFIX = "\"}".getBytes(StandardCharsets.US_ASCII);
  private static final Base64.Encoder BASE64 = Base64.getEncoder();
  /**
   * Per-thread arrays for the encoder, whose array API writes from index 0 and reads a whole
   * array: the pcm range is copied into {@code src} when it is not a whole array already, the
   * base64 lands in {@code dst} and is copied into the frame. Two short copies instead of an
   * array per frame.
   */
  private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
    @Override
    protected Scratch initialValue() {
      return new Scratch();
    }
  };

  public static final String FINALIZE_FRAME = "{\"type\":\"session.finalize\"}";
  public static final String CLOSE_FRAME = "{\"type\":\"session.close\"}";

  private ProtocolCodec() {
  }

  private static ObjectMapper strictStrings(ObjectMapper mapper) {
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
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
    return new String(encodeAudioFrame(pcm, offset, length), StandardCharsets.US_ASCII);
  }

  /** Bytes of the {@code input_audio} frame that carries {@code pcmLength} bytes of audio. */
  public static int audioFrameLength(int pcmLength) {
    return AUDIO_PREFIX.length + base64Length(pcmLength) + AUDIO_SUFFIX.length;
  }

  /** The {@code input_audio} frame as UTF-8 bytes: prefix, standard padded base64 of the range, suffix. */
  public static byte[] encodeAudioFrame(byte[] pcm, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, pcm.length);
    Scratch scratch = SCRATCH.get();
    return frame(offset == 0 && length == pcm.length ? pcm : scratch.copy(pcm, offset, length), scratch);
  }

  /**
   * The {@code input_audio} frame of {@code length} bytes of {@code pcm} from {@code index} as
   * UTF-8 bytes, without moving {@code pcm}'s indexes: for audio kept off the Java heap.
   */
  public static byte[] encodeAudioFrame(ByteBuf pcm, int index, int length) {
    byte[] out = new byte[audioFrameLength(length)];
    writeAudioFrame(pcm, index, length, out);
    return out;
  }

  private static byte[] frame(byte[] src, Scratch scratch) {
    byte[] out = new byte[audioFrameLength(src.length)];
    assemble(src, scratch, out);
    return out;
  }

  /**
   * Writes the {@code input_audio} frame of {@code length} bytes of {@code pcm} from {@code index}
   * into {@code out} from index 0 ({@link #audioFrameLength} bytes; {@code out} at least that
   * long), without moving {@code pcm}'s indexes.
   */
  public static void writeAudioFrame(ByteBuf pcm, int index, int length, byte[] out) {
    Scratch scratch = SCRATCH.get();
    byte[] src = scratch.src(length);
    pcm.getBytes(index, src, 0, length);
    assemble(src, scratch, out);
  }

  /** Prefix, the standard padded base64 of the whole of {@code src}, suffix, into {@code out} from 0. */
  private static void assemble(byte[] src, Scratch scratch, byte[] out) {
    byte[] b64 = scratch.dst(src.length);
    int n = BASE64.encode(src, b64);
    System.arraycopy(AUDIO_PREFIX, 0, out, 0, AUDIO_PREFIX.length);
    System.arraycopy(b64, 0, out, AUDIO_PREFIX.length, n);
    System.arraycopy(AUDIO_SUFFIX, 0, out, AUDIO_PREFIX.length + n, AUDIO_SUFFIX.length);
  }

  private static int base64Length(int length) {
    return (length + 2) / 3 * 4;
  }

  /** One thread's arrays; {@code src} has the exact length of the last range (50 ms frames repeat it). */
  private static final class Scratch {
    private byte[] src = new byte[0];
    private byte[] dst = new byte[0];

    byte[] src(int length) {
      if (src.length != length) {
        src = new byte[length];
      }
      return src;
    }

    byte[] copy(byte[] pcm, int offset, int length) {
      byte[] a = src(length);
      System.arraycopy(pcm, offset, a, 0, length);
      return a;
    }

    byte[] dst(int length) {
      int needed = base64Length(length);
      if (dst.length < needed) {
        dst = new byte[needed];
      }
      return dst;
    }
  }

  /**
   * Parses a gateway frame. A well-formed frame is read in one pass, by a reader that refuses what
   * the lenient path would coerce into a string; anything it refuses goes the two-pass way (tree,
   * checks, then the record), which gives the same result or the precise error.
   *
   * @throws ProtocolException if the text is not a JSON object with a string {@code type}
   */
  public static ServerMessage decodeServerMessage(String text) {
    try {
      ServerMessage message = SERVER_MESSAGES.readValue(text);
      if (message != null && message.type() != null) {
        return message;
      }
    } catch (JsonProcessingException e) {
      // not the plain case: the checked path below says what is wrong, or reads it after all
    }
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
}
