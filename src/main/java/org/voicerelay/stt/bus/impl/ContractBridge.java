package org.voicerelay.stt.bus.impl;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.bus.TcpBridgeOptions;
import org.voicerelay.stt.security.BridgeGuard;
import org.voicerelay.stt.security.TcpBridgeEvents;

/**
 * A TCP event-bus bridge that lets programs outside the JVM use the contract and nothing else,
 * guarded by the {@link BridgeGuard}: a caller sends only to {@code <prefix>.open} and to the audio
 * and control addresses of the sessions it opened, and receives only their events; with
 * {@code bridge.auth} every frame carries a JWT; with {@code bridge.tls} the link is encrypted.
 */
public final class ContractBridge {

  private static final Logger LOG = LoggerFactory.getLogger(ContractBridge.class);

  private ContractBridge() {
  }

  /**
   * The coarse address permissions of the contract, for a bridge without the guard (the guard
   * decides per caller and session on top of them).
   */
  public static BridgeOptions permissions(String prefix, List<String> allowedEventsPrefixes) {
    BusContract.checkEventsPrefixes(prefix, allowedEventsPrefixes);
    BridgeOptions options = new BridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress(BusContract.openAddress(prefix)))
        .addInboundPermitted(new PermittedOptions().setAddressRegex(BusContract.inputAddressRegex(prefix)))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(BusContract.eventsAddressRegex(prefix)));
    for (String allowed : allowedEventsPrefixes) {
      options.addOutboundPermitted(new PermittedOptions().setAddressRegex(Pattern.quote(allowed) + ".*"));
    }
    return options;
  }

  /** A running guarded bridge; {@link #close()} stops the listener and the guard. */
  public record Running(TcpEventBusBridge bridge, BridgeGuard guard) {
    public Future<Void> close() {
      return bridge.close().eventually(guard::close);
    }
  }

  /**
   * Starts a guarded bridge for the options' prefix on {@code bridge.host}:{@code bridge.port}.
   *
   * @param registry where the guard counts refusals, or null
   */
  public static Future<Running> start(Vertx vertx, SttVerticleOptions options, MeterRegistry registry) {
    TcpBridgeOptions bridge = options.getBridge();
    try {
      bridge.getTls().check("bridge.tls", false);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    BridgeGuard.Settings settings = new BridgeGuard.Settings("tcp", options.getPrefix(),
        options.getAllowedEventsPrefixes(), bridge.getAuth(), bridge.getOpenTimeoutMs(), false, 0);
    return BridgeGuard.create(vertx, settings, registry).compose(guard -> {
      // the guard answers opens and keeps registrations itself: the bridge only carries input
      BridgeOptions permitted = new BridgeOptions()
          .addInboundPermitted(new PermittedOptions().setAddressRegex(BusContract.inputAddressRegex(options.getPrefix())));
      NetServerOptions server = bridge.getTls().applyTo(new NetServerOptions().setHost(bridge.getHost())
          .setPort(bridge.getPort()));
      return TcpEventBusBridge.create(vertx, permitted, server, new TcpBridgeEvents(guard)).listen()
          .map(b -> new Running(b, guard))
          .onSuccess(r -> {
            if (!guard.authenticating() && !isLoopback(bridge.getHost())) {
              LOG.warn("the TCP bridge on {} takes callers without tokens: anyone who reaches it can open sessions"
                  + " (set bridge.auth.jwtSecret or a public key)", bridge.getHost());
            }
          })
          .onFailure(e -> guard.close());
    });
  }

  static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
  }
}
