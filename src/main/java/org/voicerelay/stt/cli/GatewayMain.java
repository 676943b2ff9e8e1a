package org.voicerelay.stt.cli;

import static org.voicerelay.stt.config.Variable.bool;
import static org.voicerelay.stt.config.Variable.number;
import static org.voicerelay.stt.config.Variable.string;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.voicerelay.stt.config.NodeConfig;
import org.voicerelay.stt.config.Variable;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;

/**
 * Runs the local gateway as a process: {@code scripts/gateway [options]}. Prints one line,
 * {@code gateway listening on ws://HOST:PORT/v1 (engine NAME)}, on standard output once it accepts
 * connections, so scripts can wait for it and read the port; logs go to standard error. SIGTERM
 * (or Ctrl-C) undeploys the gateway, which closes every session, then exits.
 *
 * <p>Options, later ones winning: the defaults of {@link LocalGatewayOptions}, a JSON file
 * ({@code --config FILE}, keys as in {@link LocalGatewayOptions#toJson()} plus {@code apiSecret}),
 * the environment and then system properties of the same names ({@link #VARIABLES}, retrieved
 * as {@link NodeConfig} does), then the command line.
 */
public final class GatewayMain {

  private static final String USAGE = Usage.of("gateway");

  /** The flags, each read as its type, and the option it sets. */
  private static final Map<String, Variable> FLAGS = Stream.of(
      string("--host", "host"),
      number("--port", "port"),
      string("--recognizer", "recognizer"),
      string("--recognizer-config", "recognizerConfig"),
      string("--api-key", "apiKey"),
      string("--api-secret", "apiSecret"),
      number("--max-sessions", "maxSessions"),
      number("--idle-timeout", "idleTimeout"),
      number("--ping-interval", "pingInterval"),
      number("--liveness-timeout", "livenessTimeout"),
      number("--max-pending-bytes", "maxPendingBytes"),
      number("--max-message-size", "maxMessageSize"),
      string("--language", "language"),
      bool("--session-closed-reply", "sessionClosedReply"))
      .collect(Collectors.toMap(Variable::name, flag -> flag));

  /**
   * The variables the gateway reads: the credentials the clients read ({@code LIVEKIT_INFERENCE_*}
   * winning over {@code LIVEKIT_*}) and its own address and engine.
   */
  static final List<Variable> VARIABLES = List.of(
      string("LIVEKIT_API_KEY", "apiKey"),
      string("LIVEKIT_INFERENCE_API_KEY", "apiKey"),
      string("LIVEKIT_API_SECRET", "apiSecret"),
      string("LIVEKIT_INFERENCE_API_SECRET", "apiSecret"),
      string("STT_GATEWAY_HOST", "host"),
      number("STT_GATEWAY_PORT", "port"),
      string("STT_GATEWAY_RECOGNIZER", "recognizer"));

  /** The command line: an optional config file and the flags as options JSON. */
  record CommandLine(String configFile, JsonObject flags) {
  }

  private GatewayMain() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)); // epoll where it loads
    LocalGatewayOptions options;
    try {
      options = options(vertx, parse(args), null).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (UsageException | ExecutionException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      PrintStream out = cause.getMessage() == null ? System.out : System.err;
      if (cause.getMessage() != null) {
        out.println("gateway: " + cause.getMessage());
      }
      out.println(USAGE);
      vertx.close();
      System.exit(cause.getMessage() == null ? 0 : 2);
      return;
    } catch (Exception e) {
      System.err.println("gateway: configuration not read: " + e);
      vertx.close();
      System.exit(1);
      return;
    }

    LocalGatewayVerticle gateway = new LocalGatewayVerticle(options);
    try {
      vertx.deployVerticle(gateway).toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("gateway: failed to start: " + cause.getMessage());
      vertx.close().toCompletionStage().toCompletableFuture().completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() ->
        vertx.close().toCompletionStage().toCompletableFuture()
            .completeOnTimeout(null, 15, TimeUnit.SECONDS).join(), "gateway-shutdown"));
    System.out.println("gateway listening on ws://" + options.getHost() + ":" + gateway.actualPort()
        + "/v1 (engine " + options.getRecognizer() + ")");
    System.out.flush();
  }

  /** Reads the command line; help or a malformed line is a {@link UsageException}. */
  static CommandLine parse(String[] args) {
    String configFile = null;
    JsonObject flags = new JsonObject();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new UsageException(null);
      }
      int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
      String name = eq > 0 ? arg.substring(0, eq) : arg;
      if (!name.equals("--config") && !FLAGS.containsKey(name)) {
        throw new UsageException(name.startsWith("-") ? "unknown option " + name : "unexpected argument " + name);
      }
      String value;
      if (eq > 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException(arg + " needs a value");
      }
      if (name.equals("--config")) {
        configFile = value;
      } else {
        Variable flag = FLAGS.get(name);
        try {
          flags.put(flag.path(), flag.parse(value.trim()));
        } catch (IllegalArgumentException e) {
          throw new UsageException(e.getMessage());
        }
      }
    }
    return new CommandLine(configFile, flags);
  }

  /**
   * Defaults, then the config file, then the environment ({@code env}, or the process's when
   * null), then system properties, then the flags.
   */
  static Future<LocalGatewayOptions> options(Vertx vertx, CommandLine line, Map<String, String> env) {
    return NodeConfig.retrieve(vertx, line.configFile(), true, new JsonObject(), env, VARIABLES)
        .recover(e -> Future.failedFuture(new UsageException(e.getMessage())))
        .map(json -> {
          try {
            JsonObject flags = line.flags().copy();
            if (flags.getValue("recognizerConfig") instanceof String text) {
              flags.put("recognizerConfig", new JsonObject(text));
            }
            return new LocalGatewayOptions(json.mergeIn(flags));
          } catch (IllegalArgumentException | DecodeException e) {
            throw new UsageException(e.getMessage());
          }
        });
  }

  /** A command line that cannot be run; a null message means help was asked for. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }
}
