package org.voicerelay.stt.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A TCP event-bus bridge that lets programs outside the JVM use the contract and nothing else:
 * in, {@code <prefix>.open} and the sessions' audio and control addresses; out, the sessions'
 * default events addresses and the allowed events prefixes. Replies travel back whatever the
 * permissions. The bridge has no authentication of its own: bind it to loopback or a private
 * network.
 */
public final class ContractBridge {

  private ContractBridge() {
  }

  /** The bridge permissions of the contract. */
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

  /** Starts a bridge for the options' prefix on {@code bridge.host}:{@code bridge.port}. */
  public static Future<TcpEventBusBridge> start(Vertx vertx, SttVerticleOptions options) {
    return TcpEventBusBridge.create(vertx, permissions(options.getPrefix(), options.getAllowedEventsPrefixes()),
            new NetServerOptions().setHost(options.getBridge().getHost()).setPort(options.getBridge().getPort()))
        .listen();
  }
}
