package org.voicerelay.stt.web;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;

/**
 * The SockJS bridge's event handler, and the security boundary between pages and the bus. A
 * connection may:
 * <ul>
 *   <li>send to {@code <prefix>.open}: forwarded to the {@link BridgeSessionOpener} with the
 *       connection's id in a header set here (whatever headers the page sent are dropped);</li>
 *   <li>send to the audio and control addresses of sessions it opened, and nothing else;</li>
 *   <li>register for the events address of sessions it opened, and nothing else;</li>
 *   <li>receive events of sessions it opened, and replies to its own requests.</li>
 * </ul>
 * Publishing is refused. A refused message gets the bridge's {@code err} frame "rejected" and
 * nothing else: whether the address exists is not told. A connection from a page of another
 * origin is refused, and the sessions of a connection that closes are closed. Decisions are
 * synchronous, so a page's messages keep their order.
 */
final class BridgeGuard implements Handler<BridgeEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(BridgeGuard.class);

  private final WebOptions options;
  private final BridgeConnections connections;
  private final BridgeSessionOpener opener;
  private final String openAddress;
  private final Pattern eventsAddress;

  BridgeGuard(WebOptions options, BridgeConnections connections, BridgeSessionOpener opener) {
    this.options = options;
    this.connections = connections;
    this.opener = opener;
    this.openAddress = BusContract.openAddress(options.getPrefix());
    this.eventsAddress = Pattern.compile(Pattern.quote(BusContract.sessionAddressPrefix(options.getPrefix()))
        + ".*\\.events");
  }

  @Override
  public void handle(BridgeEvent event) {
    event.complete(allow(event));
  }

  private boolean allow(BridgeEvent event) {
    BridgeEventType type = event.type();
    SockJSSocket socket = event.socket();
    if (type == BridgeEventType.SOCKET_CREATED) {
      return accept(socket);
    }
    if (type == BridgeEventType.SOCKET_CLOSED) {
      BridgeConnection gone = connections.remove(socket);
      if (gone != null) {
        opener.disconnected(gone);
      }
      return true;
    }
    BridgeConnection connection = connections.get(socket);
    if (connection == null) {
      return false;
    }
    JsonObject raw = event.getRawMessage();
    String address = raw == null ? null : raw.getString("address");
    return switch (type) {
      case SOCKET_PING, SOCKET_IDLE, REGISTERED, UNREGISTER -> true;
      case SOCKET_ERROR -> {
        socket.close();
        yield true;
      }
      case SEND -> allowSend(connection, raw, address);
      case REGISTER -> refuseUnless(connection.ownsEvents(address), connection, type, address);
      // events only of owned sessions; anything else reaching the socket is a reply to its own request
      case RECEIVE -> !eventsAddress.matcher(address).matches() || connection.ownsEvents(address);
      default -> refuseUnless(false, connection, type, address);
    };
  }

  private boolean allowSend(BridgeConnection connection, JsonObject raw, String address) {
    if (openAddress.equals(address)) {
      raw.put("address", opener.address());
      raw.put("headers", new JsonObject().put(BridgeSessionOpener.CONNECTION_HEADER, connection.id()));
      return true;
    }
    if (connection.ownsInput(address)) {
      raw.remove("headers");
      return true;
    }
    return refuseUnless(false, connection, BridgeEventType.SEND, address);
  }

  private static boolean refuseUnless(boolean allowed, BridgeConnection connection, BridgeEventType type,
      String address) {
    if (!allowed) {
      LOG.debug("bridge connection {}: refused {} on '{}'", connection.id(), type, address);
    }
    return allowed;
  }

  /** A connection from the endpoint's own page, a listed origin, or a program that is not a browser. */
  private boolean accept(SockJSSocket socket) {
    String origin = socket.headers() == null ? null : socket.headers().get("Origin");
    if (origin != null && !originAllowed(origin, socket.headers().get("Host"))) {
      LOG.warn("bridge connection from origin {} refused (not this endpoint's, not in web.allowedOrigins)",
          origin);
      return false;
    }
    connections.add(socket);
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
}
