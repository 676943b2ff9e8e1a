package org.voicerelay.stt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.bus.AudioCodec;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.Fixtures;

/**
 * {@link AudioCodec} between two clustered Vert.x instances: A only sends (it registers the codec
 * itself), B runs the gateway and the verticle, so every session is on B and its audio crosses
 * the wire.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 40, timeUnit = TimeUnit.SECONDS)
class AudioCodecClusterTest {

  private static final int CHUNK = 3_200;

  private static List<ClusterNode> nodes;

  @BeforeAll
  static void startCluster() throws Exception {
    System.setProperty("hazelcast.wait.seconds.before.join", "0");
    nodes = TestCluster.start(2).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
    ClusterNode b = nodes.get(1);
    TestCluster.deployGateway(b)
        .compose(gateway -> TestCluster.deployStt(b, "B", gateway.actualPort()))
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    AudioCodec.register(nodes.get(0).vertx());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    TestCluster.closeAll(nodes).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void audioSentWithTheCodecToASessionOnAnotherNodeArrivesIntact(VertxTestContext ctx) throws Exception {
    Vertx a = nodes.get(0).vertx();
    String events = "app.codec." + UUID.randomUUID();
    Buffer pcm = Fixtures.tone(10 * CHUNK);
    EventRecorder heard = EventRecorder.on(a, events).await(10, TimeUnit.SECONDS);
    a.eventBus().<JsonObject>request("stt.open", new JsonObject().put("eventsAddress", events))
        .map(Message::body)
        .compose(session -> {
          Future<Void> chain = Future.succeededFuture();
          for (int off = 0; off < pcm.length(); off += CHUNK) {
            Buffer chunk = pcm.getBuffer(off, off + CHUNK);
            chain = chain.compose(v -> a.eventBus().request(session.getString("audioAddress"), chunk,
                AudioCodec.deliveryOptions()).mapEmpty());
          }
          return chain.compose(v -> a.eventBus().request(session.getString("controlAddress"),
                  new JsonObject().put("action", "end"), new DeliveryOptions().setSendTimeout(20_000)))
              .compose(end -> heard.closed())
              .map(session);
        })
        .onComplete(ctx.succeeding(session -> ctx.verify(() -> {
          assertEquals("B", session.getString("node"));
          assertEquals(AudioCodec.NAME, session.getString("audioCodec"));
          List<JsonObject> finals = heard.ofType("final_transcript");
          JsonObject last = finals.get(finals.size() - 1)
              .getJsonArray("alternatives").getJsonObject(0).getJsonObject("metadata");
          CRC32 crc = new CRC32();
          crc.update(pcm.getBytes());
          assertEquals(pcm.length(), last.getLong("totalBytes"));
          assertEquals(crc.getValue(), last.getLong("totalChecksum"));
          ctx.completeNow();
        })));
  }

  @Test
  void aNodeWithoutACodecNamedOnTheWireFailsTheRequestInsteadOfDeliveringIt(VertxTestContext ctx) {
    Vertx a = nodes.get(0).vertx();
    Vertx b = nodes.get(1).vertx();
    MessageCodec<Buffer, Buffer> onlyOnA = new NamedBufferCodec("test.only-on-a");
    a.eventBus().registerCodec(onlyOnA);
    String address = "app.codec.unknown." + UUID.randomUUID();
    List<Object> delivered = new CopyOnWriteArrayList<>();
    b.eventBus().consumer(address, m -> delivered.add(m.body())).completion()
        .compose(v -> a.eventBus().request(address, Fixtures.tone(CHUNK),
            new DeliveryOptions().setCodecName(onlyOnA.name()).setSendTimeout(5_000)))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          ReplyException failure = (ReplyException) err;
          assertEquals(ReplyFailure.ERROR, failure.failureType());
          assertTrue(failure.getMessage().contains("No message codec registered with name test.only-on-a"),
              failure.getMessage());
          assertEquals(List.of(), delivered);
          ctx.completeNow();
        })));
  }

  /** A Buffer codec under another name, registered on one node only. */
  private record NamedBufferCodec(String name) implements MessageCodec<Buffer, Buffer> {
    @Override
    public void encodeToWire(Buffer wire, Buffer body) {
      wire.appendInt(body.length()).appendBuffer(body);
    }

    @Override
    public Buffer decodeFromWire(int pos, Buffer wire) {
      return wire.getBuffer(pos + 4, pos + 4 + wire.getInt(pos));
    }

    @Override
    public Buffer transform(Buffer body) {
      return body;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
