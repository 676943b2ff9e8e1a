package org.voicerelay.stt.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One {@link FaultGatewayMain} process as the fault bench drives it: started, told to listen or
 * to silence its first connections, killed with SIGKILL. A thread reads its standard output as it
 * comes, so every connection it reported is in the {@link ConnectionLog} even after a kill.
 */
final class FaultGateway implements AutoCloseable {

  private final Process process;
  private final PrintWriter in;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private volatile int port = -1;

  private final boolean deferred;

  private FaultGateway(Process process, ConnectionLog log, boolean deferred) {
    this.process = process;
    this.deferred = deferred;
    this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("conn ")) {
            String[] f = line.split(" ");
            log.add(f[1], Long.parseLong(f[2]));
          } else if (line.startsWith("stall ")) {
            String[] f = line.split(" ");
            log.stall(Long.parseLong(f[1]), Long.parseLong(f[2]));
          } else {
            lines.add(line);
          }
        }
      } catch (IOException | RuntimeException e) {
        // the process died: what it reported is kept
      }
      lines.add("exited");
    }, "fault-gateway-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the gateway: {@code mode} pass or drop; {@code port} 0 for any; {@code deferred}: the
   * front listens only on {@link #listen(int)}. Returns at once: {@link #awaitReady()} waits for it.
   */
  static FaultGateway start(ConnectionLog log, int port, String mode, int streams, double endpointSeconds,
      int interimMs, boolean deferred) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    String opts = System.getenv("GATEWAY_JAVA_OPTS");
    cmd.addAll(opts == null || opts.isBlank() ? BenchGatewayProcess.DEFAULT_JAVA_OPTS : List.of(opts.trim().split("\\s+")));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FaultGatewayMain.class.getName(),
        "--port", String.valueOf(port), "--mode", mode, "--streams", String.valueOf(streams),
        "--endpoint-seconds", String.valueOf(endpointSeconds), "--interim-ms", String.valueOf(interimMs)));
    if (deferred) {
      cmd.add("--deferred");
    }
    File logFile = new File("target/bench-gateway.log");
    Process process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(logFile)).start();
    return new FaultGateway(process, log, deferred);
  }

  /** Returns once the gateway is up, and listening unless deferred. */
  FaultGateway awaitReady() {
    await("ready", 60);
    if (!deferred) {
      port = Integer.parseInt(await("listening ", 30).substring("listening ".length()).trim());
    }
    return this;
  }

  int port() {
    return port;
  }

  /** Opens the front on {@code onPort} (a deferred gateway); returns when it accepts connections. */
  int listen(int onPort) {
    in.println("listen " + onPort);
    port = Integer.parseInt(await("listening ", 30).substring("listening ".length()).trim());
    return port;
  }

  /** Silences every open connection (new ones pass); how many. */
  int silence() {
    in.println("silence");
    return Integer.parseInt(await("silenced ", 30).substring("silenced ".length()).trim());
  }

  /** SIGKILL, and waits until the process is gone (its sockets closed by the kernel). */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean alive() {
    return process.isAlive();
  }

  private String await(String prefix, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    try {
      while (true) {
        String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null || line.equals("exited")) {
          throw new IllegalStateException("the fault gateway did not answer '" + prefix.trim() + "' ("
              + (line == null ? "timeout" : "it exited") + "); see target/bench-gateway.log");
        }
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    in.println("quit");
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
