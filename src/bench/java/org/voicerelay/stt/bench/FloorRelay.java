package org.voicerelay.stt.bench;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.voicerelay.stt.protocol.AccessToken;
import org.voicerelay.stt.protocol.GatewayUrl;
import org.voicerelay.stt.protocol.ProtocolCodec;
import org.voicerelay.stt.protocol.SessionCreate;
import org.voicerelay.stt.protocol.SessionSettings;

/**
 * The floor of the bus path: the least any Vert.x relay from the event bus to the gateway must do,
 * written with Vert.x's public API only, to run back to back with {@code SttVerticle} on the same
 * load ({@code scripts/bench floor}, {@code LoadBench --relay floor}).
 *
 * <p>It answers {@code stt.open} as the verticle does ({@code audioAddress}, {@code controlAddress})
 * and, per session, opens its own WebSocket to the gateway, sends {@code session.create}, and for
 * each bus message of audio sends one {@code input_audio} message with the chunk base64-encoded
 * ({@link Base64}, {@code writeTextMessage}). Each gateway message is decoded into a
 * {@link JsonObject} and sent to the session's events address as it is; {@code flush} sends
 * {@code session.finalize}; {@code end} sends {@code session.finalize}, and {@code session.finalized} closes the socket and sends
 * {@code closed}. Nothing else: no resampling, no re-chunking into 50 ms frames, no replay buffer,
 * no reconnects, no admission control, no metrics, no back-pressure.
 */
class FloorRelay extends AbstractVerticle {

  private static final AtomicLong IDS = new AtomicLong();
  private static final String AUDIO_PREFIX = "{\"type\":\"input_audio\",\"audio\":\"";
  private static final String AUDIO_SUFFIX = "\"}";

  private final String baseUrl;
  private final String key;
  private final String secret;
  private final int sampleRate;
  private WebSocketClient client;
  private AccessToken tokens;

  FloorRelay(String baseUrl, String key, String secret, int sampleRate) {
    this.baseUrl = baseUrl;
    this.key = key;
    this.secret = secret;
    this.sampleRate = sampleRate;
  }

  @Override
  public void start() {
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(Integer.MAX_VALUE));
    tokens = new AccessToken(vertx, key, secret);
    vertx.eventBus().<JsonObject>consumer("stt.open", this::open);
  }

  private void open(Message<JsonObject> request) {
    String events = request.body().getString("eventsAddress");
    String id = "floor." + IDS.incrementAndGet();
    WebSocketConnectOptions connect = new WebSocketConnectOptions()
        .setAbsoluteURI(GatewayUrl.sttEndpoint(baseUrl, null).toString())
        .addHeader("Authorization", "Bearer " + tokens.issue())
        .setTimeout(60_000);
    client.connect(connect).onComplete(ar -> {
      if (ar.failed()) {
        request.fail(502, "floor: " + ar.cause().getMessage());
        return;
      }
      new Session(ar.result(), id, events).start();
      request.reply(new JsonObject().put("sessionId", id)
          .put("audioAddress", id + ".audio").put("controlAddress", id + ".control"));
    });
  }

  private final class Session {
    private final WebSocket ws;
    private final String events;
    private final EventBus bus;
    private final MessageConsumer<Buffer> audio;
    private final MessageConsumer<JsonObject> control;
    private Message<JsonObject> ending;

    Session(WebSocket ws, String id, String events) {
      this.ws = ws;
      this.events = events;
      this.bus = vertx.eventBus();
      this.audio = bus.<Buffer>localConsumer(id + ".audio");
      this.control = bus.<JsonObject>localConsumer(id + ".control");
    }

    void start() {
      ws.textMessageHandler(this::fromGateway);
      ws.exceptionHandler(err -> { });
      ws.writeTextMessage(ProtocolCodec.encode(new SessionCreate(null,
          new SessionSettings(String.valueOf(sampleRate), "pcm_s16le", null, null, null), null, null)));
      audio.handler(m -> {
        Buffer chunk = m.body();
        ws.writeTextMessage(AUDIO_PREFIX + Base64.getEncoder().encodeToString(chunk.getBytes()) + AUDIO_SUFFIX);
        if (m.replyAddress() != null) {
          m.reply(null);
        }
      });
      control.handler(m -> {
        String action = m.body() == null ? null : m.body().getString("action");
        if ("status".equals(action)) {
          m.reply(new JsonObject().put("stream", new JsonObject().put("state", ws.isClosed() ? "CLOSED" : "CONNECTED")));
        } else if ("flush".equals(action) && ending == null) {
          ws.writeTextMessage(ProtocolCodec.FINALIZE_FRAME);
          m.reply(null);
        } else if ("end".equals(action) && ending == null) {
          ending = m;
          ws.writeTextMessage(ProtocolCodec.FINALIZE_FRAME);
        } else {
          m.fail(400, "floor: only status, flush and end");
        }
      });
    }

    private void fromGateway(String text) {
      JsonObject message = new JsonObject(text);
      bus.send(events, message);
      if ("session.finalized".equals(message.getString("type")) && ending != null) {
        ws.close();
        Future.join(audio.unregister(), control.unregister()).onComplete(v -> {
          bus.send(events, new JsonObject().put("type", "closed"));
          ending.reply(new JsonObject().put("state", "closed"));
        });
      }
    }
  }
}
