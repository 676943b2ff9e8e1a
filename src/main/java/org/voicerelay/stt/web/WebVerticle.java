package org.voicerelay.stt.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.Transport;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.security.BridgeGuard;
import org.voicerelay.stt.security.BridgeGuard.Settings;

/**
 * The opt-in web endpoint: one page that streams the browser's microphone to the
 * {@code SttVerticle} and shows the transcripts, and the SockJS event-bus bridge the page talks
 * through. The bridge is the security boundary ({@link BridgeGuard}): a page reaches only the
 * sessions it opened, and its sessions close when it goes away.
 *
 * <p>Deployed by class name it reads {@link WebOptions} from its deployment config; with
 * {@code enabled=false} (the default) it serves nothing. It needs an {@code SttVerticle} with the
 * same prefix somewhere on the event bus.
 */
public class WebVerticle extends VerticleBase {

  /** Where the SockJS bridge is mounted; the page connects to it, raw WebSockets to {@code /eventbus/websocket}. */
  public static final String BRIDGE_PATH = "/eventbus";
  private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);
  private static final Pattern LOOPBACK_NAME = Pattern.compile("localhost|127(\\.\\d{1,3}){3}|\\[::1]");
  private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; connect-src 'self'; "
      + "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private final WebOptions givenOptions;
  private final MeterRegistry registry;
  private WebOptions options;
  private BridgeGuard guard;
  private SockJsBridgeEvents events;
  private HttpServer server;

  /** Reads {@link WebOptions} from the deployment config. */
  public WebVerticle() {
    this(null);
  }

  public WebVerticle(WebOptions options) {
    this(options, null);
  }

  /**
   * @param registry where the bridge counts refused frames ({@code stt.bridge.refused}); null:
   *     Vert.x Micrometer Metrics' registry if Vert.x runs with it, else none
   */
  public WebVerticle(WebOptions options, MeterRegistry registry) {
    this.givenOptions = options == null ? null : new WebOptions(options);
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    options = givenOptions != null ? givenOptions : new WebOptions(config());
    if (!options.isEnabled()) {
      LOG.info("web endpoint disabled (web.enabled is false)");
      return Future.succeededFuture();
    }
    try {
      options.getTls().check("web.tls", false);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Settings settings = new Settings("sockjs", options.getPrefix(), List.of(), options.getAuth(),
        options.getOpenTimeoutMs(), true, options.getMaxSessionsPerConnection());
    MeterRegistry meters = registry != null ? registry : BackendRegistries.getDefaultNow();
    return BridgeGuard.create(vertx, settings, meters).compose(g -> {
      guard = g;
      events = new SockJsBridgeEvents(options, guard);
      Router router = Router.router(vertx);
      router.route().handler(this::checkHost);
      router.route(BRIDGE_PATH + "/iframe*").handler(ctx -> ctx.fail(404));
      router.route(BRIDGE_PATH + "/*").subRouter(SockJSHandler.create(vertx, sockJsOptions())
          .bridge(bridgeOptions(), events));
      router.route().handler(StaticHandler.create("webroot").setIndexPage("index.html"));
      return vertx.createHttpServer(options.getTls().applyTo(new HttpServerOptions().setHost(options.getHost())
              .setPort(options.getPort())))
          .requestHandler(router)
          .listen();
    }).onSuccess(s -> {
      server = s;
      LOG.info("web endpoint on {}://{}:{}/ (bridge {}, prefix {}, {}{} sessions per {})",
          options.getTls().isEnabled() ? "https" : "http", options.getHost(), s.actualPort(), BRIDGE_PATH,
          options.getPrefix(), guard.authenticating() ? "tokens, " : "",
          guard.authenticating() ? options.getAuth().getMaxSessionsPerSubject() : options.getMaxSessionsPerConnection(),
          guard.authenticating() ? "subject" : "connection");
    });
  }

  @Override
  public Future<?> stop() {
    if (guard == null) {
      return Future.succeededFuture();
    }
    return guard.close().transform(ar -> server == null ? Future.succeededFuture() : server.close());
  }

  /** The port the endpoint listens on, or -1 if it is not serving. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** Live bridge connections (open pages). */
  public int connections() {
    return events == null ? 0 : events.connections();
  }

  /** The options in use, or null before start. */
  public WebOptions options() {
    return options == null ? null : new WebOptions(options);
  }

  private SockJSHandlerOptions sockJsOptions() {
    // websocket and xhr only: the iframe and jsonp transports would let other origins' pages in
    return new SockJSHandlerOptions()
        .addDisabledTransport(Transport.JSON_P.name())
        .addDisabledTransport(Transport.EVENT_SOURCE.name())
        .addDisabledTransport(Transport.HTML_FILE.name());
  }

  /**
   * Coarse permissions: the bridge itself only carries input; the guard answers opens, keeps the
   * registrations and decides per caller and session.
   */
  private SockJSBridgeOptions bridgeOptions() {
    return new SockJSBridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddressRegex(BusContract.inputAddressRegex(options.getPrefix())))
        .setMaxHandlersPerSocket(options.getMaxRequestsPerConnection())
        .setMaxAddressLength(128);
  }

  /**
   * Security headers on every response, and, on a loopback endpoint, only loopback host names:
   * a page of another site whose name resolves to 127.0.0.1 (DNS rebinding) gets nothing.
   */
  private void checkHost(RoutingContext ctx) {
    if (isLoopback(options.getHost())) {
      String host = ctx.request().authority() == null ? null : ctx.request().authority().host();
      if (host == null || !isLoopback(host)) {
        ctx.response().setStatusCode(421).end("this endpoint answers only to loopback host names");
        return;
      }
    }
    ctx.response().headers()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer")
        .set("Permissions-Policy", "microphone=(self)");
    ctx.next();
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return LOOPBACK_NAME.matcher(h).matches() || h.equals("::1");
  }
}
