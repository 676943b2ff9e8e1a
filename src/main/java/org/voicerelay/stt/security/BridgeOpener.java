package org.voicerelay.stt.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.BusErrorCode;
import org.voicerelay.stt.security.SessionOwners.Claim;

/**
 * Opens sessions on {@code <prefix>.open} for bridge callers and keeps their ownership true: the
 * session id (and a custom events address) is claimed for the caller's owner first
 * ({@link SessionOwners}), so an open naming another caller's id is refused instead of handing that
 * session over; the owner's quota is applied; every owned session's events are watched so that a
 * closed session stops counting and its claims are given back. Used on the bridge's event loop.
 */
final class BridgeOpener {

  /** How long a closed session stays its owner's, so that late requests ({@code status}, {@code end}) still pass. */
  static final long FORGET_CLOSED_AFTER_MS = 10_000;
  /** What a page may ask for in an open: the rest (events address, extra, fallback) is the node's. */
  private static final List<String> PAGE_FIELDS = List.of("sessionId", "sampleRate", "language", "model", "resumable");
  private static final long CLOSE_TIMEOUT_MS = 5_000;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern SESSION_ID = Pattern.compile(BusContract.SESSION_ID_REGEX);
  private static final Logger LOG = LoggerFactory.getLogger(BridgeOpener.class);

  /** An open refused because the id or events address belongs to another caller. */
  static final class NotOwner extends RuntimeException {
    NotOwner() {
      super(BridgeGuard.ACCESS_DENIED, null, false, false);
    }
  }

  private final Vertx vertx;
  private final String prefix;
  private final long openTimeoutMs;
  private final int quota;
  private final boolean pageMode;
  private final SessionOwners owners;
  private final Map<String, Map<String, OwnedSession>> byOwner = new HashMap<>();

  BridgeOpener(Vertx vertx, String prefix, long openTimeoutMs, int quota, boolean pageMode) {
    this.vertx = vertx;
    this.prefix = prefix;
    this.openTimeoutMs = openTimeoutMs;
    this.quota = quota;
    this.pageMode = pageMode;
    this.owners = new SessionOwners(vertx, prefix);
  }

  /**
   * Opens (or opens again, by id, for the same owner) a session for {@code caller}.
   *
   * @return the open reply; or fails with a {@link ReplyException} of the contract's codes, or
   *     {@link NotOwner}
   */
  Future<JsonObject> open(BridgeCaller caller, Object body) {
    if (!(body instanceof JsonObject json)) {
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.BAD_REQUEST, "bad_request: open takes a JSON object"));
    }
    Object givenId = json.getValue("sessionId");
    if (givenId != null && !(givenId instanceof String s && SESSION_ID.matcher(s).matches())) {
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.BAD_REQUEST,
          "bad_request: sessionId must be 1 to 64 letters, digits, '_' or '-'"));
    }
    String id = givenId != null ? (String) givenId : randomId();
    JsonObject request = pageMode ? pick(json) : json.copy();
    request.put("sessionId", id);
    String defaultEvents = BusContract.defaultEventsAddress(prefix, id);
    String eventsAddress = request.getValue("eventsAddress") instanceof String a ? a : defaultEvents;
    String eventsClaim = eventsAddress.equals(defaultEvents) ? null : SessionOwners.eventsKey(eventsAddress);
    String owner = caller.owner();
    Map<String, OwnedSession> mine = byOwner.computeIfAbsent(owner, o -> new HashMap<>());
    OwnedSession known = mine.get(id);
    boolean again = known != null && known.live() && known.eventsAddress.equals(eventsAddress);
    if (known != null && known.live() && !again) {
      return Future.failedFuture(new NotOwner());
    }
    if (!again) {
      long live = mine.values().stream().filter(OwnedSession::live).count();
      if (live >= quota) {
        return Future.failedFuture(BusErrorCode.failure(BusErrorCode.QUOTA_EXCEEDED, "quota_exceeded: "
            + (caller.subject() != null ? "this subject" : "this connection") + " has " + live
            + " sessions open on this node (maxSessionsPerSubject " + quota + "); close one first"));
      }
    }
    OwnedSession session = again ? known : new OwnedSession(id, owner, eventsAddress, eventsClaim);
    mine.put(id, session);
    return claim(caller, session)
        .compose(v -> track(caller, session))
        .compose(v -> vertx.eventBus().<Object>request(BusContract.openAddress(prefix), request,
            new DeliveryOptions().setSendTimeout(openTimeoutMs)))
        .transform(ar -> {
          if (ar.failed()) {
            if (!again) {
              forget(session);
            }
            return Future.failedFuture(failure(ar.cause()));
          }
          JsonObject reply = ar.result().body() instanceof JsonObject r ? r : new JsonObject();
          if (!id.equals(reply.getString("sessionId")) || !eventsAddress.equals(reply.getString("eventsAddress"))
              || reply.getString("audioAddress") == null || reply.getString("controlAddress") == null) {
            LOG.warn("bridge: unexpected open reply for session {}; closing it", id);
            session.audioAddress = reply.getString("audioAddress");
            session.controlAddress = reply.getString("controlAddress");
            close(session).onComplete(x -> forget(session));
            return Future.failedFuture(BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR, "internal_error: unexpected open reply"));
          }
          session.audioAddress = reply.getString("audioAddress");
          session.controlAddress = reply.getString("controlAddress");
          if (caller.isOpen()) {
            session.holders.add(caller);
            caller.hold(session);
          }
          LOG.debug("bridge caller {} {} session {}", caller.id(), again ? "opened again" : "opened", id);
          return Future.succeededFuture(reply);
        });
  }

  /** A caller went away: it holds its sessions no more; with {@code closeSessions}, they are closed. */
  Future<Void> disconnected(BridgeCaller caller, boolean closeSessions) {
    List<Future<Void>> closing = new ArrayList<>();
    for (OwnedSession session : caller.sessions()) {
      session.holders.remove(caller);
      if (closeSessions && session.live() && session.opened()) {
        LOG.info("bridge connection {} closed: closing its session {}", caller.id(), session.id);
        closing.add(close(session));
      }
    }
    return Future.join(closing).mapEmpty();
  }

  /** Stops watching every session; with {@code closeSessions}, closes them first. */
  Future<Void> stop(boolean closeSessions) {
    List<Future<Void>> closing = new ArrayList<>();
    for (Map<String, OwnedSession> sessions : byOwner.values()) {
      for (OwnedSession session : new ArrayList<>(sessions.values())) {
        closing.add((closeSessions && session.live() && session.opened() ? close(session)
            : Future.<Void>succeededFuture()).onComplete(ar -> forget(session)));
      }
    }
    return Future.join(closing).mapEmpty();
  }

  private Future<Void> claim(BridgeCaller caller, OwnedSession session) {
    return owners.claim(SessionOwners.sessionKey(session.id), session.owner).compose(claim -> {
      if (claim == Claim.TAKEN) {
        return Future.failedFuture(new NotOwner());
      }
      if (claim == Claim.NEW) {
        caller.forgetHeld(session.eventsAddress);
      }
      if (session.eventsClaim == null) {
        return Future.succeededFuture();
      }
      return owners.claim(session.eventsClaim, session.owner).compose(events -> events == Claim.TAKEN
          ? Future.failedFuture(new NotOwner()) : Future.succeededFuture());
    });
  }

  /** Watches the session's events for {@code closed} (once per session). */
  private Future<Void> track(BridgeCaller caller, OwnedSession session) {
    if (session.tracker != null) {
      return Future.succeededFuture();
    }
    session.tracker = vertx.eventBus().consumer(session.eventsAddress);
    session.tracker.handler(event -> onEvent(session, event));
    return session.tracker.completion();
  }

  private void onEvent(OwnedSession session, Message<Object> event) {
    if (session.closed || !(event.body() instanceof JsonObject body)
        || !BusContract.EVENT_CLOSED.equals(body.getString("type"))
        || body.getValue("sessionId") != null && !session.id.equals(body.getString("sessionId"))) {
      return;
    }
    session.closed = true;
    vertx.setTimer(FORGET_CLOSED_AFTER_MS, t -> forget(session));
  }

  /** The session is no longer anyone's: its claims are given back, its holders lose it. */
  private void forget(OwnedSession session) {
    if (session.forgotten) {
      return;
    }
    session.forgotten = true;
    if (session.tracker != null) {
      session.tracker.unregister();
    }
    Map<String, OwnedSession> mine = byOwner.get(session.owner);
    if (mine != null) {
      mine.remove(session.id, session);
      if (mine.isEmpty()) {
        byOwner.remove(session.owner);
      }
    }
    session.holders.forEach(c -> c.drop(session));
    session.holders.clear();
    owners.release(SessionOwners.sessionKey(session.id), session.owner);
    if (session.eventsClaim != null) {
      owners.release(session.eventsClaim, session.owner);
    }
  }

  /** Aborts a session; completes once it is closed (or known gone). */
  private Future<Void> close(OwnedSession session) {
    if (session.controlAddress == null) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().request(session.controlAddress, new JsonObject().put("action", BusContract.ACTION_CLOSE),
            new DeliveryOptions().setSendTimeout(CLOSE_TIMEOUT_MS))
        .<Void>mapEmpty()
        .recover(err -> {
          LOG.debug("closing session {}: {}", session.id, err.getMessage());
          return Future.succeededFuture();
        });
  }

  private static JsonObject pick(JsonObject body) {
    JsonObject picked = new JsonObject();
    for (String field : PAGE_FIELDS) {
      if (body.containsKey(field)) {
        picked.put(field, body.getValue(field));
      }
    }
    return picked;
  }

  /** An unguessable id: 128 random bits, in the characters session ids allow. */
  static String randomId() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "b_" + HexFormat.of().formatHex(bytes);
  }

  /** Passes the bus failure on; failures without a code get one the caller can explain. */
  private static Throwable failure(Throwable cause) {
    if (cause instanceof NotOwner || cause instanceof ReplyException e && e.failureCode() > 0) {
      return cause;
    }
    if (cause instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
      return BusErrorCode.failure(BusErrorCode.SHUTTING_DOWN, "overloaded: no transcription service is running");
    }
    if (cause instanceof ReplyException e && e.failureType() == ReplyFailure.TIMEOUT) {
      return BusErrorCode.failure(BusErrorCode.SHUTTING_DOWN, "overloaded: the transcription service did not answer in time");
    }
    LOG.warn("open for a bridge caller failed: {}", cause.toString());
    return BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR, "internal_error: open failed");
  }
}
