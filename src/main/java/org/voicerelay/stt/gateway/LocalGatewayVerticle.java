package org.voicerelay.stt.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.gateway.engine.Recognizer;
import org.voicerelay.stt.gateway.sphinx.SphinxRecognizer;
import org.voicerelay.stt.protocol.AccessTokenVerifier;
import org.voicerelay.stt.protocol.ProtocolCodec;
import org.voicerelay.stt.protocol.ServerMessage;

/**
 * A local stand-in for the LiveKit Inference STT gateway: the same WebSocket endpoint
 * ({@code /v1/stt}, also {@code /stt}), the same token check and the same frames, answered by an
 * offline {@link Recognizer} instead of a cloud provider. Clients need nothing but a different
 * base URL, which makes it the target for offline use, tests and benchmarks.
 *
 * <p>Options come from the constructor, else from the deployment config
 * ({@link LocalGatewayOptions#LocalGatewayOptions(io.vertx.core.json.JsonObject)}). Each instance
 * loads one engine, shared by its sessions, and closes it on undeploy; an engine handed to the
 * constructor belongs to the caller and is not closed. Limits ({@code maxSessions}, ...) count per
 * instance.
 *
 * <p>A bad or missing token is refused with HTTP 401 before the upgrade. Beyond
 * {@code maxSessions}, a new connection is upgraded only to receive
 * {@link GatewayErrorCode#TOO_MANY_SESSIONS} and a close (1013, try again later), so the client
 * learns why. Undeploying sends {@code session.closed} to every open session and closes its socket
 * (1001, going away); clients treat that as a retryable drop and reconnect.
 */
public class LocalGatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(LocalGatewayVerticle.class);

  /** The real offline engine, {@link SphinxRecognizer}. */
  public static final String RECOGNIZER_SPHINX4 = "sphinx4";

  /** The deterministic load-test engine, {@link CountingRecognizer}. */
  public static final String RECOGNIZER_COUNTING = "counting";

  /** The endpoint, as LiveKit Cloud serves it under its {@code /v1} base URL. */
  public static final String V1_PATH = "/v1/stt";

  /** The endpoint for a base URL without {@code /v1}. */
  public static final String PATH = "/stt";

  private final LocalGatewayOptions givenOptions;
  private final Recognizer givenRecognizer;
  private final Map<String, GatewaySession> sessions = new HashMap<>();

  private LocalGatewayOptions options;
  private Recognizer recognizer;
  private AccessTokenVerifier verifier;
  private HttpServer server;
  private boolean stopping;

  /** Reads its options from the deployment config. */
  public LocalGatewayVerticle() {
    this(null, null);
  }

  public LocalGatewayVerticle(LocalGatewayOptions options) {
    this(options, null);
  }

  /**
   * Serves with an engine the caller built and keeps owning; {@code options.recognizer} and
   * {@code recognizerConfig} are then ignored. A null {@code options} means the deployment config.
   */
  public LocalGatewayVerticle(LocalGatewayOptions options, Recognizer recognizer) {
    this.givenOptions = options == null ? null : new LocalGatewayOptions(options);
    this.givenRecognizer = recognizer;
  }

  @Override
  public Future<?> start() {
    options = givenOptions != null ? givenOptions : new LocalGatewayOptions(config());
    verifier = new AccessTokenVerifier(vertx, options.getApiKey(), options.getApiSecret());
    return loadRecognizer().compose(loaded -> {
      recognizer = loaded;
      server = vertx.createHttpServer(new HttpServerOptions()
              .setHost(options.getHost())
              .setPort(options.getPort())
              // frames a little past the limit reach ClientFrames, which answers them with a clear
              // error; only a frame past twice the limit is dropped by the WebSocket decoder itself
              .setMaxWebSocketFrameSize((int) Math.min(Integer.MAX_VALUE, 2L * options.getMaxMessageSize()))
              .setMaxWebSocketMessageSize(options.getMaxMessageSize()))
          .webSocketHandshakeHandler(this::onHandshake)
          .requestHandler(this::onPlainRequest);
      return server.listen()
          .onFailure(err -> closeRecognizer())
          .onSuccess(s -> LOG.info("local gateway listening on ws://{}:{}{} (engine {}, maxSessions {})",
              options.getHost(), s.actualPort(), V1_PATH, recognizer.name(), options.getMaxSessions()));
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    List<Future<Void>> closing = new ArrayList<>();
    for (GatewaySession session : new ArrayList<>(sessions.values())) {
      closing.add(session.shutdown());
    }
    return Future.join(closing)
        .transform(ar -> server == null ? Future.succeededFuture() : server.close())
        .transform(ar -> closeRecognizer());
  }

  /** The port the gateway listens on (useful with port 0), or -1 before it started. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  /** Sessions (open WebSockets) this instance serves right now. */
  public int sessionCount() {
    return sessions.size();
  }

  private Future<Recognizer> loadRecognizer() {
    if (givenRecognizer != null) {
      return Future.succeededFuture(givenRecognizer);
    }
    return switch (options.getRecognizer()) {
      case RECOGNIZER_COUNTING -> {
        try {
          yield Future.succeededFuture(new CountingRecognizer(options.getRecognizerConfig()));
        } catch (RuntimeException e) {
          yield Future.failedFuture(e);
        }
      }
      case RECOGNIZER_SPHINX4 -> SphinxRecognizer.load(vertx, options.getRecognizerConfig());
      default -> Future.failedFuture(new IllegalArgumentException(
          "unknown recognizer " + options.getRecognizer()));
    };
  }

  private Future<Void> closeRecognizer() {
    Recognizer owned = givenRecognizer == null ? recognizer : null;
    recognizer = null;
    if (owned == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      owned.close();
      return null;
    });
  }

  private void onHandshake(ServerWebSocketHandshake handshake) {
    String path = handshake.path();
    if (!V1_PATH.equals(path) && !PATH.equals(path)) {
      handshake.reject(404);
      return;
    }
    verifier.verify(handshake.headers().get(HttpHeaders.AUTHORIZATION)).onComplete(verified ->
        context.runOnContext(v -> {
          if (verified.failed()) {
            LOG.debug("refused a connection from {}: {}", handshake.remoteAddress(),
                verified.cause().getMessage());
            handshake.reject(401);
          } else if (stopping) {
            handshake.reject(503);
          } else {
            String model = queryParameter(handshake.query(), "model");
            String caller = CallerIdentification.describe(handshake.headers());
            handshake.accept().onSuccess(socket -> onSocket(socket, model, caller));
          }
        }));
  }

  private void onSocket(ServerWebSocket socket, String model, String caller) {
    if (stopping) {
      socket.close(GatewaySession.CLOSE_GOING_AWAY, "gateway stopping");
      return;
    }
    if (sessions.size() >= options.getMaxSessions()) {
      LOG.warn("refused a session: {} sessions open, the limit", sessions.size());
      socket.writeTextMessage(ProtocolCodec.encode(ServerMessage.error(GatewayErrorCode.TOO_MANY_SESSIONS,
          "too many sessions: the gateway serves at most " + options.getMaxSessions())));
      socket.close(GatewaySession.CLOSE_TRY_AGAIN_LATER, "too many sessions");
      return;
    }
    String id = String.format("gw_%016x", ThreadLocalRandom.current().nextLong());
    GatewaySession session = new GatewaySession(context, socket, id, model, caller, recognizer, options,
        ended -> sessions.remove(ended.id()));
    sessions.put(id, session);
    session.start();
  }

  private void onPlainRequest(HttpServerRequest request) {
    String path = request.path();
    if (V1_PATH.equals(path) || PATH.equals(path)) {
      request.response().setStatusCode(426).putHeader(HttpHeaders.UPGRADE, "websocket")
          .end("this endpoint speaks WebSocket only");
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private static String queryParameter(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
