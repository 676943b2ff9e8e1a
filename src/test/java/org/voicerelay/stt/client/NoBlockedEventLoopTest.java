package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pipes a minute of 48 kHz audio from a file as fast as back-pressure allows through resampling, chunking and the socket
 * while Vert.x's blocked-thread checker watches with a limit of 250 ms (the default is 2 s); any
 * event-loop task that runs longer is recorded and fails the test. Blocking work (a file read, a
 * recognition) takes far longer than that; 100 ms was tripped now and then by a young GC pause of a
 * shared 2-core machine, which stops every thread. One-time class loading and the first, interpreted
 * runs of the resampler are excluded by a warm-up stream of the same shape.
 */
@ExtendWith(VertxExtension.class)
class NoBlockedEventLoopTest {

  private Vertx vertx;
  private final List<BlockedThreadEvent> blocked = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setBlockedThreadCheckInterval(20)
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(250).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void streamingAMinuteOfAudioUnderBackPressureNeverBlocksAnEventLoop(VertxTestContext ctx) throws Exception {
    ScriptedGateway gateway = new ScriptedGateway(vertx);
    gateway.start().await(10, TimeUnit.SECONDS);
    SttClient client = SttClient.create(vertx, gateway.options());
    // A cold JVM spends most of a second loading Jackson, JWT and Netty classes on first use;
    // that happens once per process, so one short stream runs before the checker is armed.
    client.recognize(Buffer.buffer(SpeechStreamAudioTest.tone(48000, 220, 2)), 48000).await(20, TimeUnit.SECONDS);
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(blocked::add);
    SpeechStream stream = client.stream(new StreamOptions().setInputSampleRate(48000));
    java.nio.file.Path file = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "no-blocked-loop"))
        .resolve("minute-48k.pcm");
    java.nio.file.Files.write(file, SpeechStreamAudioTest.tone(48000, 220, 60));
    vertx.fileSystem().open(file.toString(), new io.vertx.core.file.OpenOptions().setRead(true))
        .compose(f -> f.pipeTo(stream))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(60 * 16000 * 2, gateway.connection(1).audio().length, 8);
          assertTrue(blocked.isEmpty(), "blocked event loop: " + blocked);
          ctx.completeNow();
        })));
    assertTrue(ctx.awaitCompletion(60, TimeUnit.SECONDS));
  }
}
