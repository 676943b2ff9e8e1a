package org.voicerelay.stt.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link BenchGatewayMain} in a JVM of its own, so the gateway's CPU is not the measured process's;
 * driven by one-line commands on its standard input, answered with one JSON line.
 */
final class BenchGatewayProcess implements AutoCloseable {

  private static final String LISTENING = "bench gateway listening on ";

  private final Process process;
  private final PrintWriter in;
  private final BufferedReader out;
  private final int port;

  private BenchGatewayProcess(Process process, File log) throws IOException {
    this.process = process;
    this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.port = awaitPort(log);
  }

  /** The gateway JVM's options unless {@code GATEWAY_JAVA_OPTS} gives others. */
  static final List<String> DEFAULT_JAVA_OPTS = List.of("-Xms1g", "-Xmx1g", "-XX:+UseZGC");

  /** Starts the gateway with {@link BenchGatewayMain}'s arguments after the port; logs to target/. */
  static BenchGatewayProcess start(String... mainArgs) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    String opts = System.getenv("GATEWAY_JAVA_OPTS");
    cmd.addAll(opts == null || opts.isBlank() ? DEFAULT_JAVA_OPTS : List.of(opts.trim().split("\\s+")));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchGatewayMain.class.getName(), "0"));
    cmd.addAll(List.of(mainArgs));
    File log = new File("target/bench-gateway.log");
    Process process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log)).start();
    return new BenchGatewayProcess(process, log);
  }

  int port() {
    return port;
  }

  /** Sends a command ({@code stats}, {@code reset}, ...) and reads its JSON answer. */
  JsonObject command(String command) throws IOException {
    in.println(command);
    return new JsonObject(out.readLine());
  }

  /** Asks the gateway to quit; stops it after 10 s if it has not. */
  @Override
  public void close() {
    in.println("quit");
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
      }
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Ends a bench: closes its Vert.x (at most 20 s), then the gateway it talked to; either may be
   * null when the bench failed before starting it.
   */
  static void stop(Vertx vertx, BenchGatewayProcess gateway) {
    if (vertx != null) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // best effort: the gateway is stopped all the same
      }
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  private int awaitPort(File log) throws IOException {
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(LISTENING)) {
        return Integer.parseInt(line.substring(LISTENING.length()).trim());
      }
    }
    throw new IllegalStateException("the bench gateway did not start; see " + log);
  }
}
