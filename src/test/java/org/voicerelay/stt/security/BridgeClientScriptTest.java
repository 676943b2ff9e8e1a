package org.voicerelay.stt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.voicerelay.stt.testing.TestStack;

/**
 * {@code scripts/bridge-client.py}, a program outside the JVM, against a bridge with tokens and
 * TLS: with its token and the certificate it transcribes; without a token it is refused at once.
 * The script runs as a process; the test thread waits for it, never an event loop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeClientScriptTest {

  private Vertx vertx;
  private TestStack stack;
  private Path certificate;

  @BeforeEach
  void deploy() throws Exception {
    Assumptions.assumeTrue(python3Present(), "python3 is not installed");
    Path store = TestCertificates.selfSigned("script");
    certificate = TestCertificates.pem(store);
    vertx = Vertx.vertx();
    stack = TestStack.builder().meterRegistry(new SimpleMeterRegistry()).tcpBridge(b -> b.setTls(TestCertificates.tls(store)).getAuth().setJwtSecret(Tokens.SECRET))
        .deploy(vertx)
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  private String run(List<String> extra, int[] exit) throws Exception {
    List<String> command = new ArrayList<>(List.of("python3", "scripts/bridge-client.py", "--host", "localhost",
        "--port", String.valueOf(stack.bridgePort()), "--fast", "--timeout", "20", "--tls", "--ca", certificate.toString()));
    command.addAll(extra);
    command.add(Path.of("scripts", "samples", "slt-16k-mono.wav").toString());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("STT_BRIDGE_TOKEN");
    Process python = builder.start();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(python.waitFor(30, TimeUnit.SECONDS), output);
    exit[0] = python.exitValue();
    return output;
  }

  @Test
  void theScriptWithItsTokenTranscribesOverTls() throws Exception {
    int[] exit = new int[1];
    String output = run(List.of("--token", Tokens.hs256(vertx, "script-caller")), exit);
    assertEquals(0, exit[0], output);
    assertTrue(output.contains("# closed (ended)"), output);
  }

  @Test
  void theScriptWithoutATokenIsRefused() throws Exception {
    int[] exit = new int[1];
    String output = run(List.of(), exit);
    assertNotEquals(0, exit[0], output);
    assertTrue(output.contains("access_denied"), output);
    assertEquals(0.0, stack.count("stt.sessions.opened"));
  }

  private static boolean python3Present() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }
}
