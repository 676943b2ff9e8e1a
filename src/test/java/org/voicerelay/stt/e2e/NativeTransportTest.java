package org.voicerelay.stt.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.gateway.LocalGatewayOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;

/**
 * The client and the local gateway on Netty's epoll transport, which the project's own programs
 * ask for ({@code preferNativeTransport}): the audio frames the client encodes itself go through
 * epoll's channels byte for byte. Linux on x86-64 only, where the bundled native library loads.
 */
class NativeTransportTest {

  private Vertx vertx;

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyByteArrivesOverEpoll() throws Exception {
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
        "the bundled epoll library is for Linux x86-64");
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    assertTrue(vertx.isNativeTransportEnabled(), "epoll loaded: " + vertx.unavailableNativeTransportCause());
    LocalGatewayVerticle gateway = new LocalGatewayVerticle(new LocalGatewayOptions().setRecognizer("counting")
        .setApiKey("native").setApiSecret("native-secret-0123456789abcdef0123"));
    vertx.deployVerticle(gateway).await(30, TimeUnit.SECONDS);
    SttClient client = SttClient.create(vertx, new SttOptions()
        .setBaseUrl("http://127.0.0.1:" + gateway.actualPort() + "/v1")
        .setApiKey("native").setApiSecret("native-secret-0123456789abcdef0123"));
    List<SpeechEvent> finals = new CopyOnWriteArrayList<>();
    SpeechStream stream = client.stream();
    stream.handler(event -> {
      if (event.type() == SpeechEventType.FINAL_TRANSCRIPT) {
        finals.add(event);
      }
    });
    CRC32 crc = new CRC32();
    long bytes = 0;
    for (int frame = 0; frame < 150; frame++) { // 3 s of 20 ms frames
      byte[] pcm = new byte[640];
      for (int i = 0; i < pcm.length; i++) {
        pcm[i] = (byte) (frame * 31 + i);
      }
      crc.update(pcm);
      bytes += pcm.length;
      stream.write(Buffer.buffer(pcm));
    }
    stream.end().await(30, TimeUnit.SECONDS);
    JsonObject counted = finals.get(finals.size() - 1).alternatives().get(0).metadata();
    assertEquals(bytes, counted.getLong("totalBytes"));
    assertEquals(crc.getValue(), counted.getLong("totalChecksum"));
  }
}
