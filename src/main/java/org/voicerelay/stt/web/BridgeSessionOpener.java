package org.voicerelay.stt.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.BusErrorCode;
import org.voicerelay.stt.web.BridgeConnection.OwnedSession;

/**
 * Opens sessions on {@code <prefix>.open} on behalf of bridge connections and keeps their
 * ownership true: the session id (hence the events address) is chosen here, never by the page,
 * the connection's session limit is applied, every owned session's events are watched so a
 * closed session stops counting, and a connection's sessions are closed when it goes away.
 *
 * <p>The {@link BridgeGuard} forwards a page's {@code <prefix>.open} to this opener's private,
 * node-local address, with the connection id in a header it sets itself.
 */
final class BridgeSessionOpener {

  /** Header, set by the guard only, naming the connection an open request comes from. */
  static final String CONNECTION_HEADER = "x-stt-web-connection";
  /** How long a closed session stays owned, so that its {@code closed} event still reaches the page. */
  static final long FORGET_CLOSED_AFTER_MS = 10_000;
  private static final long CLOSE_TIMEOUT_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(BridgeSessionOpener.class);

  private final Vertx vertx;
  private final WebOptions options;
  private final BridgeConnections connections;
  private final String address;
  private MessageConsumer<Object> consumer;

  BridgeSessionOpener(Vertx vertx, WebOptions options, BridgeConnections connections) {
    this.vertx = vertx;
    this.options = options;
    this.connections = connections;
    this.address = options.getPrefix() + ".web." + BridgeConnections.randomId("opener") + ".open";
  }

  /** The node-local address the guard forwards opens to. */
  String address() {
    return address;
  }

  Future<Void> start() {
    consumer = vertx.eventBus().localConsumer(address, this::onOpen);
    return consumer.completion();
  }

  /** Closes every session of every connection, then stops consuming. */
  Future<Void> stop() {
    List<Future<Void>> closing = new ArrayList<>();
    for (BridgeConnection connection : connections.all()) {
      closing.add(disconnected(connection));
    }
    return Future.join(closing).transform(ar -> consumer == null ? Future.<Void>succeededFuture()
        : consumer.unregister());
  }

  /** Closes the sessions of a connection that went away; completes when they are closed. */
  Future<Void> disconnected(BridgeConnection connection) {
    List<Future<Void>> closing = new ArrayList<>();
    for (OwnedSession session : connection.disconnect()) {
      vertx.cancelTimer(session.forgetTimer);
      if (session.closed) {
        continue;
      }
      if (session.opened()) {
        LOG.info("bridge connection {} closed: closing its session {}", connection.id(), session.id);
        closing.add(close(session));
      }
      // a session still being opened is closed when its open is answered (see onOpen)
    }
    return Future.join(closing).mapEmpty();
  }

  private void onOpen(Message<Object> message) {
    BridgeConnection connection = connections.get(message.headers().get(CONNECTION_HEADER));
    if (connection == null || !connection.isOpen()) {
      message.fail(BusErrorCode.SESSION_CLOSED, "the bridge connection is closed");
      return;
    }
    if (!(message.body() instanceof JsonObject body)) {
      message.fail(BusErrorCode.BAD_REQUEST, "open takes a JSON object");
      return;
    }
    if (connection.liveSessions() >= options.getMaxSessionsPerConnection()) {
      message.fail(BusErrorCode.TOO_MANY_SESSIONS, "this connection has " + connection.liveSessions()
          + " sessions open already (maxSessionsPerConnection " + options.getMaxSessionsPerConnection() + ")");
      return;
    }
    String sessionId = BridgeConnections.randomId("w");
    String eventsAddress = BusContract.defaultEventsAddress(options.getPrefix(), sessionId);
    JsonObject request = new JsonObject().put("sessionId", sessionId);
    for (String field : List.of("sampleRate", "language", "model", "resumable")) {
      if (body.containsKey(field)) {
        request.put(field, body.getValue(field));
      }
    }
    OwnedSession session = new OwnedSession(sessionId, eventsAddress,
        vertx.eventBus().consumer(eventsAddress));
    session.tracker.handler(event -> onEvent(connection, session, event));
    connection.reserve(session);
    session.tracker.completion()
        .compose(v -> vertx.eventBus().<Object>request(BusContract.openAddress(options.getPrefix()), request,
            new DeliveryOptions().setSendTimeout(options.getOpenTimeoutMs())))
        .onComplete(ar -> {
          if (ar.failed()) {
            connection.forget(sessionId);
            session.tracker.unregister();
            fail(message, ar.cause());
            return;
          }
          JsonObject reply = ar.result().body() instanceof JsonObject json ? json : new JsonObject();
          session.audioAddress = reply.getString("audioAddress");
          session.controlAddress = reply.getString("controlAddress");
          if (!eventsAddress.equals(reply.getString("eventsAddress")) || session.audioAddress == null
              || session.controlAddress == null) {
            close(session);
            connection.forget(sessionId);
            message.fail(BusErrorCode.INTERNAL_ERROR, "unexpected open reply from the stt verticle");
            return;
          }
          if (!connection.isOpen()) {
            close(session);
            message.fail(BusErrorCode.SESSION_CLOSED, "the bridge connection is closed");
            return;
          }
          LOG.info("bridge connection {} opened session {}", connection.id(), sessionId);
          message.reply(reply);
        });
  }

  private void onEvent(BridgeConnection connection, OwnedSession session, Message<Object> event) {
    if (!(event.body() instanceof JsonObject body) || !BusContract.EVENT_CLOSED.equals(body.getString("type"))) {
      return;
    }
    session.closed = true;
    session.tracker.unregister();
    if (connection.isOpen()) {
      session.forgetTimer = vertx.setTimer(FORGET_CLOSED_AFTER_MS, t -> connection.forget(session.id));
    }
  }

  /** Aborts a session; completes once it is closed (or known gone). */
  private Future<Void> close(OwnedSession session) {
    return vertx.eventBus().request(session.controlAddress, new JsonObject().put("action", BusContract.ACTION_CLOSE),
            new DeliveryOptions().setSendTimeout(CLOSE_TIMEOUT_MS))
        .transform(ar -> {
          if (ar.failed()) {
            LOG.debug("closing session {}: {}", session.id, ar.cause().getMessage());
          }
          session.closed = true;
          return session.tracker.unregister();
        })
        .recover(err -> Future.succeededFuture());
  }

  /** Passes the bus failure on; failures without a code get one the page can explain. */
  private static void fail(Message<Object> message, Throwable cause) {
    if (cause instanceof ReplyException e && e.failureCode() > 0) {
      message.fail(e.failureCode(), e.getMessage());
    } else if (cause instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
      message.fail(BusErrorCode.SHUTTING_DOWN, "no transcription service is running");
    } else if (cause instanceof ReplyException e && e.failureType() == ReplyFailure.TIMEOUT) {
      message.fail(BusErrorCode.SHUTTING_DOWN, "the transcription service did not answer in time");
    } else {
      LOG.warn("open for a bridge connection failed", cause);
      message.fail(BusErrorCode.INTERNAL_ERROR, "open failed");
    }
  }
}
