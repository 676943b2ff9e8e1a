package org.voicerelay.stt.web;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.security.BridgeCaller;
import org.voicerelay.stt.security.BridgeGuard;
import org.voicerelay.stt.security.BridgeWire;

/**
 * The SockJS bridge's event handler: who may connect (the endpoint's own pages, listed origins,
 * programs that are not browsers), and for every frame the rule both bridges share,
 * {@link BridgeGuard}. A frame the guard deals with itself (an open, a
 * registration, a refusal) is never completed, so the bridge writes nothing of its own; replies to
 * a caller's own requests are the only messages the bridge itself delivers.
 */
final class SockJsBridgeEvents implements Handler<BridgeEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(SockJsBridgeEvents.class);

  private final WebOptions options;
  private final BridgeGuard guard;
  private final Map<SockJSSocket, BridgeCaller> callers = new HashMap<>();

  SockJsBridgeEvents(WebOptions options, BridgeGuard guard) {
    this.options = options;
    this.guard = guard;
  }

  int connections() {
    return callers.size();
  }

  @Override
  public void handle(BridgeEvent event) {
    SockJSSocket socket = event.socket();
    BridgeEventType type = event.type();
    switch (type) {
      case SOCKET_CREATED -> {
        if (accept(socket)) {
          callers.put(socket, guard.connect(new SockJsWire(socket)));
          event.complete(true);
        } else {
          event.complete(false);
        }
      }
      case SOCKET_CLOSED -> {
        guard.disconnected(callers.remove(socket));
        event.complete(true);
      }
      case SOCKET_ERROR -> {
        socket.close();
        event.complete(true);
      }
      // replies to the caller's own requests: the bridge delivers nothing else (it registers nothing)
      case SOCKET_IDLE, REGISTERED, RECEIVE -> event.complete(true);
      default -> {
        BridgeCaller caller = callers.get(socket);
        if (caller == null) {
          event.complete(false);
        } else if (guard.inbound(caller, type, event.getRawMessage())) {
          event.complete(true);
        }
      }
    }
  }

  /** A connection from the endpoint's own page, a listed origin, or a program that is not a browser. */
  private boolean accept(SockJSSocket socket) {
    String origin = socket.headers() == null ? null : socket.headers().get("Origin");
    if (origin != null && !originAllowed(origin, socket.headers().get("Host"))) {
      LOG.warn("bridge connection from origin {} refused (not this endpoint's, not in web.allowedOrigins)",
          origin);
      return false;
    }
    return true;
  }

  private boolean originAllowed(String origin, String host) {
    String o = origin.toLowerCase(Locale.ROOT);
    if (options.getAllowedOrigins().contains(o)) {
      return true;
    }
    try {
      URI uri = new URI(o);
      String authority = uri.getRawAuthority();
      return host != null && authority != null && authority.equals(host.toLowerCase(Locale.ROOT));
    } catch (Exception e) {
      return false;
    }
  }

  /** The SockJS bridge's frames: JSON text, {@code rec} for messages, {@code err} with a {@code body} for refusals. */
  private static final class SockJsWire implements BridgeWire {
    private final SockJSSocket socket;

    SockJsWire(SockJSSocket socket) {
      this.socket = socket;
    }

    @Override
    public void event(String address, Object body) {
      write(new JsonObject().put("type", "rec").put("address", address).put("body", body));
    }

    @Override
    public void reply(String replyAddress, JsonObject body) {
      write(new JsonObject().put("type", "rec").put("address", replyAddress).put("body", body));
    }

    @Override
    public void failure(String replyAddress, String sourceAddress, ReplyException failure) {
      write(new JsonObject().put("type", "err").put("address", replyAddress)
          .put("failureCode", failure.failureCode()).put("failureType", failure.failureType().name())
          .put("message", failure.getMessage()));
    }

    @Override
    public void denied() {
      write(new JsonObject().put("type", "err").put("body", BridgeGuard.ACCESS_DENIED));
    }

    private void write(JsonObject frame) {
      socket.write(Buffer.buffer(frame.encode()));
    }
  }
}
