package org.voicerelay.stt.cli;

import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * the environment ({@code LIVEKIT_INFERENCE_API_KEY} or {@code LIVEKIT_API_KEY},
 * {@code LIVEKIT_INFERENCE_API_SECRET} or {@code LIVEKIT_API_SECRET} — the variables the clients
 * read — and {@code STT_GATEWAY_HOST}, {@code STT_GATEWAY_PORT}, {@code STT_GATEWAY_RECOGNIZER}),
 * then the command line.
 */
public final class GatewayMain {

  private static final String USAGE = """
      usage: gateway [--config FILE] [--host HOST] [--port PORT] [--recognizer sphinx4|counting]
                     [--recognizer-config JSON] [--api-key KEY] [--api-secret SECRET]
                     [--max-sessions N] [--idle-timeout MS] [--max-pending-bytes N]
                     [--max-message-size N] [--language LANG]
                     [--session-closed-reply true|false]
      Serves the LiveKit Inference STT protocol on ws://HOST:PORT/v1/stt (port 0: any free port).
      Credentials default to LIVEKIT_API_KEY / LIVEKIT_API_SECRET, else devkey / devsecret.""";

  private static final Map<String, String> FLAGS = Map.ofEntries(
      Map.entry("--host", "host"),
      Map.entry("--port", "port"),
      Map.entry("--recognizer", "recognizer"),
      Map.entry("--recognizer-config", "recognizerConfig"),
      Map.entry("--api-key", "apiKey"),
      Map.entry("--api-secret", "apiSecret"),
      Map.entry("--max-sessions", "maxSessions"),
      Map.entry("--idle-timeout", "idleTimeout"),
      Map.entry("--max-pending-bytes", "maxPendingBytes"),
      Map.entry("--max-message-size", "maxMessageSize"),
      Map.entry("--language", "language"),
      Map.entry("--session-closed-reply", "sessionClosedReply"));

  private GatewayMain() {
  }

  public static void main(String[] args) {
    LocalGatewayOptions options;
    try {
      options = options(args, System.getenv());
    } catch (UsageException e) {
      PrintStream out = e.getMessage() == null ? System.out : System.err;
      if (e.getMessage() != null) {
        out.println("gateway: " + e.getMessage());
      }
      out.println(USAGE);
      System.exit(e.getMessage() == null ? 0 : 2);
      return;
    }

    Vertx vertx = Vertx.vertx();
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

  /** Defaults, then the config file, then the environment, then the arguments. */
  static LocalGatewayOptions options(String[] args, Map<String, String> env) {
    JsonObject json = new JsonObject();
    JsonObject fromArgs = new JsonObject();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new UsageException(null);
      }
      String name = arg;
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new UsageException(arg + " needs a value");
      }
      if (name.equals("--config")) {
        json.mergeIn(readConfig(value));
      } else if (FLAGS.containsKey(name)) {
        fromArgs.put(FLAGS.get(name), value);
      } else {
        throw new UsageException("unknown option " + name);
      }
    }
    putFirst(json, "apiKey", env.get("LIVEKIT_INFERENCE_API_KEY"), env.get("LIVEKIT_API_KEY"));
    putFirst(json, "apiSecret", env.get("LIVEKIT_INFERENCE_API_SECRET"), env.get("LIVEKIT_API_SECRET"));
    putFirst(json, "host", env.get("STT_GATEWAY_HOST"));
    putFirst(json, "port", env.get("STT_GATEWAY_PORT"));
    putFirst(json, "recognizer", env.get("STT_GATEWAY_RECOGNIZER"));
    json.mergeIn(fromArgs);
    try {
      return new LocalGatewayOptions(typed(json));
    } catch (IllegalArgumentException | ClassCastException | DecodeException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void putFirst(JsonObject json, String key, String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        json.put(key, candidate);
        return;
      }
    }
  }

  /** Values from the environment and the command line arrive as strings. */
  private static JsonObject typed(JsonObject json) {
    JsonObject out = json.copy();
    for (String key : new String[] {"port", "maxSessions", "maxMessageSize"}) {
      if (out.getValue(key) instanceof String s) {
        out.put(key, parseNumber(key, s).intValue());
      }
    }
    for (String key : new String[] {"idleTimeout", "maxPendingBytes"}) {
      if (out.getValue(key) instanceof String s) {
        out.put(key, parseNumber(key, s));
      }
    }
    if (out.getValue("sessionClosedReply") instanceof String s) {
      if (!s.equals("true") && !s.equals("false")) {
        throw new UsageException("sessionClosedReply must be true or false, got " + s);
      }
      out.put("sessionClosedReply", Boolean.parseBoolean(s));
    }
    if (out.getValue("recognizerConfig") instanceof String s) {
      out.put("recognizerConfig", new JsonObject(s));
    }
    return out;
  }

  private static Long parseNumber(String key, String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new UsageException(key + " must be a whole number, got " + value);
    }
  }

  private static JsonObject readConfig(String file) {
    try {
      return new JsonObject(Files.readString(Path.of(file)));
    } catch (IOException e) {
      throw new UsageException("cannot read config file " + file + ": " + e.getMessage());
    } catch (DecodeException e) {
      throw new UsageException("config file " + file + " is not a JSON object: " + e.getMessage());
    }
  }

  /** A command line that cannot be run; a null message means help was asked for. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }
}
