package org.voicerelay.stt.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.security.BridgeCaller.Registration;
import org.voicerelay.stt.security.TokenVerifier.RefusedToken;

/**
 * The one access rule of both event-bus bridges (TCP and SockJS), the boundary between callers
 * outside the JVM and the bus. For each frame of a connection:
 * <ul>
 *   <li>with authentication on, the frame's {@code Authorization: Bearer <jwt>} header must hold a
 *       valid token, of the same subject for the whole connection; headers never reach the bus;</li>
 *   <li>a send to {@code <prefix>.open} is carried out here ({@link BridgeOpener}): the id is
 *       claimed for the caller (its subject, or its connection), the quota applied, the answer
 *       written back;</li>
 *   <li>a send to the audio or control address of a session the caller holds goes on;</li>
 *   <li>a registration is kept here, with a consumer of the guard's own: for an events address of
 *       a session the caller holds it delivers at once; for one that a session the caller may
 *       still open would publish to (the default events address of any id, or an address under
 *       the allowed events prefixes) it holds the events, and delivers them only once the caller's
 *       own open of that session succeeds, so "register, then open" misses nothing, and a caller
 *       who registered for another caller's session first still sees nothing of it;</li>
 *   <li>everything else (publishing, other addresses, another caller's session) is refused with
 *       the bridge's {@code access_denied} err frame, the same whether the session exists or not.</li>
 * </ul>
 * The bridges themselves register nothing and answer no open: the guard does, because the TCP
 * bridge tells no handler what it delivers, and delivery must wait for ownership. Decisions on
 * sends are synchronous, so a caller's audio keeps its order. Used on the bridge's event loop.
 */
public final class BridgeGuard {

  /** The bridges' refusal, in the {@code err} frame. */
  public static final String ACCESS_DENIED = "access_denied";
  /** The counter of refused frames, tagged {@code bridge} and {@code reason}. */
  public static final String REFUSALS_METER = "stt.bridge.refused";
  /** Registrations one connection may have; each holds at most {@link BridgeCaller#MAX_HELD_EVENTS} events. */
  static final int MAX_REGISTRATIONS = 32;
  private static final Logger LOG = LoggerFactory.getLogger(BridgeGuard.class);

  private final Vertx vertx;
  private final String bridge;
  private final String openAddress;
  private final Pattern defaultEvents;
  private final List<String> eventsPrefixes;
  private final TokenVerifier verifier;
  private final BridgeOpener opener;
  private final boolean closeOnDisconnect;
  private final MeterRegistry registry;
  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
  private int nextCaller;

  private BridgeGuard(Vertx vertx, Settings settings, TokenVerifier verifier, MeterRegistry registry) {
    this.vertx = vertx;
    this.bridge = settings.bridge();
    this.openAddress = BusContract.openAddress(settings.prefix());
    this.defaultEvents = Pattern.compile(BusContract.eventsAddressRegex(settings.prefix()));
    this.eventsPrefixes = settings.pageMode() ? List.of() : List.copyOf(settings.eventsPrefixes());
    this.verifier = verifier;
    this.registry = registry;
    int quota = settings.auth().isEnabled() || settings.connectionQuota() <= 0
        ? settings.auth().getMaxSessionsPerSubject() : settings.connectionQuota();
    this.opener = new BridgeOpener(vertx, settings.prefix(), settings.openTimeoutMs(), quota, settings.pageMode());
    // without tokens nobody can come back to a session: a page's sessions end with it
    this.closeOnDisconnect = settings.pageMode() && !settings.auth().isEnabled();
  }

  /**
   * How a bridge uses the guard.
   *
   * @param bridge {@code tcp} or {@code sockjs}: the meters' tag
   * @param eventsPrefixes where a caller may have its events published besides the default address
   * @param pageMode SockJS pages: an open passes on only id, rate, language, model and resumable
   * @param connectionQuota sessions per connection without authentication (0: the auth quota)
   */
  public record Settings(String bridge, String prefix, List<String> eventsPrefixes, BridgeAuthOptions auth,
      long openTimeoutMs, boolean pageMode, int connectionQuota) {
  }

  /** A guard with its token keys loaded (if authentication is on). */
  public static Future<BridgeGuard> create(Vertx vertx, Settings settings, MeterRegistry registry) {
    Future<TokenVerifier> verifier = settings.auth().isEnabled() ? TokenVerifier.start(vertx, settings.auth())
        : Future.succeededFuture(null);
    return verifier.map(v -> new BridgeGuard(vertx, settings, v, registry));
  }

  /** Whether callers must present tokens. */
  public boolean authenticating() {
    return verifier != null;
  }

  /** A new connection. */
  public BridgeCaller connect(BridgeWire wire) {
    return new BridgeCaller(bridge + "-" + (++nextCaller) + "-" + BridgeOpener.randomId().substring(2, 10), wire);
  }

  /** The connection is gone: its registrations end; without authentication a page's sessions are closed. */
  public Future<Void> disconnected(BridgeCaller caller) {
    if (caller == null) {
      return Future.succeededFuture();
    }
    caller.disconnect().forEach(r -> r.consumer.unregister());
    return opener.disconnected(caller, closeOnDisconnect);
  }

  /** Stops: closes what {@link #disconnected} would, stops watching sessions and refreshing keys. */
  public Future<Void> close() {
    if (verifier != null) {
      verifier.close();
    }
    return opener.stop(closeOnDisconnect);
  }

  /**
   * Decides one frame of {@code caller}.
   *
   * @param raw the frame; its {@code headers} are removed
   * @return true if the bridge should carry the frame out itself; false if the guard has dealt
   *     with it (answered, registered, or refused)
   */
  public boolean inbound(BridgeCaller caller, BridgeEventType type, JsonObject raw) {
    if (type == BridgeEventType.SOCKET_PING) {
      return true;
    }
    JsonObject headers = raw == null ? null : raw.getValue("headers") instanceof JsonObject h ? h : null;
    if (raw != null) {
      raw.remove("headers");
    }
    if (verifier != null && !authenticate(caller, authorization(headers))) {
      return false;
    }
    String address = raw == null ? null : raw.getValue("address") instanceof String a ? a : null;
    if (address == null) {
      return refuse(caller, "not_permitted", type, null);
    }
    return switch (type) {
      case SEND -> {
        if (openAddress.equals(address)) {
          open(caller, raw);
          yield false;
        }
        yield caller.holdsInput(address) || refuse(caller, "not_permitted", type, address);
      }
      case REGISTER -> {
        register(caller, address);
        yield false;
      }
      case UNREGISTER -> {
        Registration gone = caller.unregister(address);
        if (gone == null) {
          yield refuse(caller, "not_permitted", type, address);
        }
        gone.consumer.unregister();
        yield false;
      }
      default -> refuse(caller, "not_permitted", type, address);
    };
  }

  private boolean authenticate(BridgeCaller caller, String authorization) {
    long now = System.currentTimeMillis();
    if (caller.alreadyAuthorized(authorization, now)) {
      return true;
    }
    Future<TokenVerifier.Verified> checked = verifier.verify(authorization);
    if (!checked.isComplete()) {
      // Vert.x Auth JWT checks synchronously; a provider that did not would be refused, not reordered
      return refuse(caller, "invalid_token", null, null);
    }
    if (checked.failed()) {
      String reason = checked.cause() instanceof RefusedToken r ? r.reason().tag() : "invalid_token";
      return refuse(caller, reason, null, null);
    }
    TokenVerifier.Verified verified = checked.result();
    if (verified.validUntilMs() <= now) {
      return refuse(caller, "expired", null, null);
    }
    if (caller.subject() != null && !caller.subject().equals(verified.subject())) {
      return refuse(caller, "other_subject", null, null);
    }
    caller.authorized(verified.subject(), authorization, verified.validUntilMs());
    return true;
  }

  private void open(BridgeCaller caller, JsonObject raw) {
    String replyAddress = raw.getValue("replyAddress") instanceof String r ? r : null;
    opener.open(caller, raw.getValue("body")).onComplete(ar -> {
      if (!caller.isOpen()) {
        return;
      }
      if (ar.succeeded()) {
        if (replyAddress != null) {
          caller.wire().reply(replyAddress, ar.result());
        }
      } else if (ar.cause() instanceof ReplyException failure) {
        count(failure.failureCode() == org.voicerelay.stt.bus.BusErrorCode.QUOTA_EXCEEDED ? "quota_exceeded" : null);
        if (replyAddress != null) {
          caller.wire().failure(replyAddress, openAddress, failure);
        }
      } else {
        refuse(caller, "not_owner", BridgeEventType.SEND, openAddress);
      }
    });
  }

  private void register(BridgeCaller caller, String address) {
    if (caller.registration(address) != null) {
      return;
    }
    boolean mayBecomeOwn = caller.holdsEvents(address) || defaultEvents.matcher(address).matches()
        || eventsPrefixes.stream().anyMatch(address::startsWith);
    if (!mayBecomeOwn || caller.registrations() >= MAX_REGISTRATIONS) {
      refuse(caller, "not_permitted", BridgeEventType.REGISTER, address);
      return;
    }
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address);
    Registration registration = new Registration(address, consumer);
    consumer.handler(m -> caller.deliver(registration, m.body()));
    caller.register(registration);
  }

  private boolean refuse(BridgeCaller caller, String reason, BridgeEventType type, String address) {
    count(reason);
    LOG.debug("bridge caller {}: refused {} on '{}' ({})", caller.id(), type, address, reason);
    caller.wire().denied();
    return false;
  }

  private void count(String reason) {
    if (reason == null || registry == null) {
      return;
    }
    refusals.computeIfAbsent(reason, r -> Counter.builder(REFUSALS_METER)
        .description("Bridge frames refused: no or bad token, not the caller's session, quota")
        .tags("bridge", bridge, "reason", r).register(registry)).increment();
  }

  /** The {@code Authorization} header, whatever the case of its name. */
  private static String authorization(JsonObject headers) {
    if (headers == null) {
      return null;
    }
    for (String name : headers.fieldNames()) {
      if ("authorization".equalsIgnoreCase(name) && headers.getValue(name) instanceof String value) {
        return value;
      }
    }
    return null;
  }
}
