package org.voicerelay.stt.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * An event-bus codec for session audio that hands the sender's {@link Buffer} to a consumer in
 * the same Vert.x instance as it is. The built-in Buffer codec copies it on every local delivery,
 * and a session copies the audio once more into the stream's pooled off-heap chunks, so that
 * first copy is only garbage (at 2000 sessions of 100 ms chunks, 64 MB/s of it).
 *
 * <p><b>The sender must not change a Buffer after sending it with this codec</b> (Vert.x's rule
 * for any local codec that does not copy): the consumer reads the very same bytes, later, on
 * another thread. Send a fresh Buffer per message, as {@code Buffer.buffer(bytes)} or
 * {@code getBuffer(from, to)} give.
 *
 * <p>Between cluster nodes the body travels as the built-in codec writes it (a 4-byte length,
 * then the bytes), but under this codec's name, and the receiving node looks the name up: a node
 * without it does not deliver the message (a request fails with {@code ReplyFailure.ERROR}, "No
 * message codec registered with name ..."; a plain send is dropped and logged there). Every node
 * that runs {@link SttVerticle} registers it, and a session's open reply names it in
 * {@code audioCodec}, so a Java sender uses it only towards a session that announced it. Callers
 * that send plain Buffers, byte arrays or {@code {"audio": base64}} (other languages, the
 * bridges) are served as before: the contract does not change.
 */
public final class AudioCodec implements MessageCodec<Buffer, Buffer> {

  /** The codec's name, the one an open reply gives in {@code audioCodec}. */
  public static final String NAME = "voicerelay.stt.audio";

  private static final AudioCodec INSTANCE = new AudioCodec();

  AudioCodec() {
  }

  /**
   * Registers the codec on this Vert.x instance's event bus unless it is there already, so every
   * verticle instance and deployment may call it. It is never unregistered: it holds no state,
   * lives as long as the event bus, and a sender or an in-flight message from another node may
   * still name it after one deployment has gone.
   */
  public static synchronized void register(Vertx vertx) {
    try {
      vertx.eventBus().registerCodec(INSTANCE);
    } catch (IllegalStateException alreadyRegistered) {
      // Vert.x has no lookup by name; the name is ours, so the codec is this one
    }
  }

  /**
   * Whether a session's open reply (or status) names this codec, i.e. its node registered it: only
   * then may a sender use it (a node of an older release would not deliver the message).
   */
  public static boolean namedIn(JsonObject openReply) {
    return NAME.equals(openReply.getString("audioCodec"));
  }

  /** Delivery options that send a Buffer with this codec; register it on the sender's Vert.x first. */
  public static DeliveryOptions deliveryOptions() {
    return new DeliveryOptions().setCodecName(NAME);
  }

  @Override
  public void encodeToWire(Buffer wire, Buffer pcm) {
    wire.appendInt(pcm.length()).appendBuffer(pcm);
  }

  @Override
  public Buffer decodeFromWire(int pos, Buffer wire) {
    int length = wire.getInt(pos);
    return wire.getBuffer(pos + 4, pos + 4 + length);
  }

  /** The sender's Buffer itself: no copy. */
  @Override
  public Buffer transform(Buffer pcm) {
    return pcm;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
