package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/**
 * A client that knows nothing but TCP and JSON drives a whole session through the TCP event-bus
 * bridge: the frames are a 4-byte big-endian length and a JSON object, exactly what a Python or
 * Node program would write. Blocking socket I/O on the test thread, never on an event loop.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpBridgeClientTest {

  private Vertx vertx;
  private Socket socket;
  private DataInputStream in;
  private DataOutputStream out;

  @BeforeEach
  void deployWithTheBridge() throws Exception {
    vertx = Vertx.vertx();
    int bridgePort = TestStack.builder().tcpBridge(b -> { }).deploy(vertx).map(TestStack::bridgePort)
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    socket = new Socket("127.0.0.1", bridgePort);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  @AfterEach
  void close() throws Exception {
    if (socket != null) {
      socket.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private void write(JsonObject frame) throws IOException {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    out.writeInt(json.length);
    out.write(json);
    out.flush();
  }

  private JsonObject read() throws IOException {
    byte[] json = new byte[in.readInt()];
    in.readFully(json);
    return new JsonObject(new String(json, StandardCharsets.UTF_8));
  }

  private void send(String address, JsonObject body, String replyAddress) throws IOException {
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body);
    if (replyAddress != null) {
      frame.put("replyAddress", replyAddress);
    }
    write(frame);
  }

  /** Reads frames until the reply to {@code replyAddress}, keeping the events seen meanwhile. */
  private JsonObject replyTo(String replyAddress, List<JsonObject> events) throws IOException {
    while (true) {
      JsonObject frame = read();
      if (replyAddress.equals(frame.getString("address"))) {
        return frame;
      }
      if ("message".equals(frame.getString("type"))) {
        events.add(frame.getJsonObject("body"));
      }
    }
  }

  @Test
  void aJsonOnlyClientOpensStreamsEndsAndReadsEveryEvent() throws Exception {
    List<JsonObject> events = new ArrayList<>();
    write(new JsonObject().put("type", "register").put("address", "app.bridge.events"));
    send("stt.open", new JsonObject().put("sampleRate", 16000).put("eventsAddress", "app.bridge.events"), "r-open");
    JsonObject session = replyTo("r-open", events).getJsonObject("body");
    byte[] pcm = Fixtures.tone(3200).getBytes();
    for (int i = 0; i < 10; i++) {
      send(session.getString("audioAddress"), new JsonObject().put("audio", Base64.getEncoder().encodeToString(pcm)),
          "r-audio-" + i);
      assertTrue(replyTo("r-audio-" + i, events).getJsonObject("body").containsKey("buffered"));
    }
    send(session.getString("controlAddress"), new JsonObject().put("action", "end"), "r-end");
    JsonObject end = replyTo("r-end", events).getJsonObject("body");
    assertEquals(1.0, end.getDouble("audioSeconds"), 1e-9);
    while (events.isEmpty() || !"closed".equals(events.get(events.size() - 1).getString("type"))) {
      JsonObject frame = read();
      events.add(frame.getJsonObject("body"));
    }
    for (int i = 0; i < events.size(); i++) {
      assertEquals(i + 1, events.get(i).getLong("seq"));
    }
    JsonObject fin = events.stream().filter(e -> "final_transcript".equals(e.getString("type"))).findFirst().orElseThrow();
    assertTrue(fin.getJsonArray("alternatives").getJsonObject(0).getString("text").endsWith("bytes 32000"));
  }

  @Test
  void aBadRequestThroughTheBridgeComesBackAsAnErrFrameWithTheFailureCode() throws Exception {
    List<JsonObject> events = new ArrayList<>();
    send("stt.open", new JsonObject(), "r-open");
    JsonObject session = replyTo("r-open", events).getJsonObject("body");
    send(session.getString("audioAddress"), new JsonObject().put("audio", "AA=="), "r-odd");
    JsonObject err = replyTo("r-odd", events);
    assertEquals("err", err.getString("type"));
    assertEquals(BusErrorCode.INVALID_AUDIO, err.getInteger("failureCode"));
  }

  @Test
  void theBridgeRefusesAddressesOutsideTheContract() throws Exception {
    send("vertx.internal.anything", new JsonObject(), null);
    JsonObject denied = read();
    assertEquals("err", denied.getString("type"));
    assertEquals("access_denied", denied.getString("message"));
    write(new JsonObject().put("type", "register").put("address", "stt.open"));
    assertEquals("access_denied", read().getString("message"));
  }
}
