package org.voicerelay.stt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.FreePort;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.cli.NodeMain;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;

/**
 * Three nodes in three JVMs ({@code scripts/node}'s main class), the counting gateway in this one,
 * and a Python program streaming a recording in real time through the TCP bridge of node B with
 * {@code --resumable}; the node recognizing it is killed with SIGKILL mid-stream.
 */
@ExtendWith(VertxExtension.class)
class ResumableFailoverTest {

  /** The cluster port in a node's ready line: {@code cluster [127.0.0.1]:5701 (1 members)}. */
  private static final Pattern CLUSTER_ADDRESS = Pattern.compile("cluster \\[?[^\\]\\s]+\\]?:(\\d+)");
  private static final Pattern SESSION_LINE = Pattern.compile("# session (\\S+) on node ([^,\\s]+), front on node ([^,\\s]+)");
  private static final Path WAV = Path.of("scripts", "samples", "alsa-speaker-test-16k-mono.wav");
  private static final long KILL_AFTER_MS = 4_000;

  private final Map<String, Process> nodes = new LinkedHashMap<>();
  private final List<Process> clients = new ArrayList<>();

  @AfterEach
  void stopProcesses() throws InterruptedException {
    clients.forEach(Process::destroyForcibly);
    nodes.values().forEach(Process::destroyForcibly);
    for (Process node : nodes.values()) {
      node.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPythonCallerOnOneNodesBridgeKeepsItsWholeTranscriptWhenTheNodeRecognizingItIsKilled(Vertx vertx)
      throws Exception {
    Assumptions.assumeTrue(python3Present(), "python3 is not installed");
    long pcmBytes = WavFile.parse(Files.readAllBytes(WAV)).pcm().length;
    LocalGatewayVerticle gateway = new LocalGatewayVerticle(new LocalGatewayOptions()
        .setRecognizer(LocalGatewayVerticle.RECOGNIZER_COUNTING)
        .setRecognizerConfig(new JsonObject().put("endpointSeconds", 1.0))
        .setApiKey(Fixtures.API_KEY).setApiSecret(Fixtures.API_SECRET));
    vertx.deployVerticle(gateway).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

    Path dir = Files.createDirectories(Path.of("target", "resumable-failover"));
    Path config = dir.resolve("config.json");
    Files.writeString(config, new JsonObject()
        .put("client", new JsonObject().put("sampleRate", 16_000).put("finalQuietMs", 200)
            .put("connectOptions", new JsonObject().put("timeoutMs", 3_000).put("maxRetry", 1)
                .put("maxDelayMs", 100)))
        .put("closedSessionLingerMs", 2_000).put("shutdownTimeoutMs", 2_000)
        .put("maxEventLoopLagMs", 30_000) // three JVMs on two cores: this test is not about admission
        .encodePrettily());
    Map<String, String> env = Map.of(
        "LIVEKIT_INFERENCE_URL", "http://127.0.0.1:" + gateway.actualPort() + "/v1",
        "LIVEKIT_INFERENCE_API_KEY", Fixtures.API_KEY,
        "LIVEKIT_INFERENCE_API_SECRET", Fixtures.API_SECRET,
        "STT_CONFIG_FILE", config.toString(),
        "STT_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "4");
    // B first, on ports free a moment ago (a bridge port someone took meanwhile: B again on others);
    // C and D join B at the cluster port it really got (Hazelcast takes the next one if its was taken)
    int bridgePort = -1;
    String clusterOfB = null;
    String cluster = null;
    for (int attempt = 0; attempt < FreePort.ATTEMPTS && clusterOfB == null; attempt++) {
      int port = FreePort.pick();
      bridgePort = FreePort.pick();
      cluster = "stt-failover-" + port;
      try {
        String ready = startNode("B", port, "127.0.0.1:" + port, cluster, bridgePort, env, dir).get(90, TimeUnit.SECONDS);
        Matcher address = CLUSTER_ADDRESS.matcher(ready);
        assertTrue(address.find(), ready);
        clusterOfB = "127.0.0.1:" + address.group(1);
      } catch (ExecutionException e) {
        if (!Files.readString(dir.resolve("B.log")).contains("Address already in use")) {
          throw e;
        }
      }
    }
    assertTrue(clusterOfB != null, "node B found no free bridge port");
    int portOfC = FreePort.pick();
    int portOfD = FreePort.pick();
    CompletableFuture.allOf(
        startNode("C", portOfC, clusterOfB + ",127.0.0.1:" + portOfC, cluster, -1, env, dir),
        startNode("D", portOfD, clusterOfB + ",127.0.0.1:" + portOfD, cluster, -1, env, dir)).get(90, TimeUnit.SECONDS);

    // the front is on B; recognition on B as well would die with it, so open again until it is elsewhere
    Client client = null;
    for (int attempt = 0; attempt < 3 && client == null; attempt++) {
      Client started = startClient(bridgePort);
      if ("B".equals(started.recognitionNode)) {
        started.process.destroyForcibly();
        started.process.waitFor(10, TimeUnit.SECONDS);
      } else {
        client = started;
      }
    }
    assertTrue(client != null, "no session was recognized outside node B in three opens");
    assertEquals("B", client.frontNode);
    Thread.sleep(KILL_AFTER_MS);
    String victim = client.recognitionNode;
    nodes.get(victim).destroyForcibly();

    assertTrue(client.process.waitFor(45, TimeUnit.SECONDS), "the client did not finish: " + client.output);
    client.reader.join(5_000);
    String output = String.join("\n", client.output);
    assertEquals(0, client.process.exitValue(), output);
    assertFalse(output.contains("refused"), output);

    List<JsonObject> events = client.output.stream().filter(l -> l.startsWith("{")).map(JsonObject::new).toList();
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).getLong("seq"), "seq counts on without gaps or repeats: " + output);
    }
    List<JsonObject> moves = events.stream().filter(e -> "recognition_moved".equals(e.getString("type"))).toList();
    assertEquals(1, moves.size(), output);
    assertEquals(victim, moves.get(0).getString("previousNode"));
    assertNotEquals(victim, moves.get(0).getString("node"));
    assertEquals(0, moves.get(0).getLong("lostBytes"));
    List<JsonObject> finals = events.stream().filter(e -> "final_transcript".equals(e.getString("type"))).toList();
    long heard = 0;
    double lastEnd = 0;
    for (JsonObject fin : finals) {
      JsonObject alt = fin.getJsonArray("alternatives").getJsonObject(0);
      heard += alt.getJsonObject("metadata").getLong("bytes");
      assertEquals(lastEnd, alt.getDouble("startTime"), 1e-6, "each final starts where the one before ended: " + output);
      lastEnd = alt.getDouble("endTime");
    }
    assertEquals(pcmBytes, heard, "the finals cover every byte sent, once: " + output);
    JsonObject last = events.get(events.size() - 1);
    assertEquals("closed", last.getString("type"));
    assertEquals("ended", last.getString("reason"));
  }

  // ------------------------------------------------------------ processes

  /** Starts a node; completes with its ready line. */
  private CompletableFuture<String> startNode(String name, int port, String members, String cluster, int bridgePort,
      Map<String, String> env, Path dir) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.log.com.hazelcast=warn",
        "-cp", System.getProperty("java.class.path"), NodeMain.class.getName(),
        "--node", name, "--cluster-name", cluster, "--port", String.valueOf(port), "--members", members));
    if (bridgePort != -1) {
      command.addAll(List.of("--bridge-port", String.valueOf(bridgePort)));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve(name + ".log").toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    nodes.put(name, process);
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.contains(" ready: ")) {
            ready.complete(line);
          }
        }
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
      ready.completeExceptionally(new AssertionError("node " + name + " exited before it was ready; see " + dir));
    }, "node-" + name);
    reader.setDaemon(true);
    reader.start();
    return ready;
  }

  /** A Python caller streaming in real time; returns once it has printed where its session runs. */
  private Client startClient(int bridgePort) throws Exception {
    Process process = new ProcessBuilder("python3", "scripts/bridge-client.py", "--port", String.valueOf(bridgePort),
        "--resumable", "--json", "--timeout", "30", WAV.toString()).redirectErrorStream(true).start();
    clients.add(process);
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<Matcher> opened = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          output.add(line);
          Matcher m = SESSION_LINE.matcher(line);
          if (m.find()) {
            opened.complete(m);
          }
        }
      } catch (IOException e) {
        opened.completeExceptionally(e);
      }
      opened.completeExceptionally(new AssertionError("the client exited before its session opened: " + output));
    }, "bridge-client");
    reader.setDaemon(true);
    reader.start();
    Matcher session = opened.get(30, TimeUnit.SECONDS);
    return new Client(process, reader, output, session.group(2), session.group(3));
  }

  private record Client(Process process, Thread reader, List<String> output, String recognitionNode,
      String frontNode) {
  }

  private static boolean python3Present() {
    try {
      return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }
}
