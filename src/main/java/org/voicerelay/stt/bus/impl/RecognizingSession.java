package org.voicerelay.stt.bus.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.bus.AudioCodec;
import org.voicerelay.stt.bus.ResumableSession;
import org.voicerelay.stt.bus.WindowedAudioSender;

/**
 * The session recognizing a {@link ResumableSession}'s audio now, as its open reply describes it:
 * where its audio goes (a window at a time, with {@link AudioCodec} if the reply names it) and
 * where its control requests go. A resume replaces it with another.
 */
final class RecognizingSession {

  private final Vertx vertx;
  private final JsonObject reply;
  private final DeliveryOptions delivery;
  private final WindowedAudioSender audio;

  /**
   * @param delivery of every request (its send timeout)
   * @param endTimeoutMs how long {@code end} may take: it is answered after the last final transcript
   */
  RecognizingSession(Vertx vertx, JsonObject reply, int window, DeliveryOptions delivery, long endTimeoutMs) {
    this.vertx = vertx;
    this.reply = reply;
    this.delivery = delivery;
    this.audio = WindowedAudioSender.create(vertx, reply).setWriteQueueMaxSize(window).setEndTimeoutMs(endTimeoutMs)
        .setDeliveryOptions(AudioCodec.namedIn(reply) ? new DeliveryOptions(delivery).setCodecName(AudioCodec.NAME)
            : delivery);
  }

  String id() {
    return reply.getString("sessionId");
  }

  String node() {
    return reply.getString("node");
  }

  WindowedAudioSender audio() {
    return audio;
  }

  /** A control request; its reply's body. */
  Future<JsonObject> control(JsonObject request) {
    return vertx.eventBus().<JsonObject>request(reply.getString("controlAddress"), request, delivery)
        .map(Message::body);
  }
}
