package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/**
 * A Groovy script verticle ({@code src/test/resources/polyglot/transcribe.groovy}) opens a
 * session, streams base64 JSON audio, ends it and collects the final transcript, using nothing
 * but JSON objects on the bus: the contract needs no Java type of this project.
 */
@ExtendWith(VertxExtension.class)
// compiling the script takes a second on an idle machine and took over 30 s (the default limit)
// under a load average of 15: the limit is for hangs
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class GroovyVerticleTest {

  @Test
  void aGroovyVerticleTranscribesThroughTheBusWithJsonAlone(Vertx vertx, VertxTestContext ctx,
      @TempDir Path dir) throws Exception {
    byte[] pcm = Fixtures.tone(32_000 * 2).getBytes();
    Path file = dir.resolve("tone.pcm");
    Files.write(file, pcm);
    TestStack.builder().deploy(vertx).onComplete(ctx.succeeding(stack -> {
      vertx.eventBus().<JsonObject>consumer("app.groovy.result", message -> ctx.verify(() -> {
        JsonObject result = message.body();
        assertEquals(null, result.getString("error"));
        assertEquals("frames 40 bytes 64000", result.getString("text"),
            "the counting engine heard every byte the script sent");
        assertEquals("ended", result.getString("reason"));
        ctx.completeNow();
      }));
      vertx.deployVerticle("groovy:polyglot/transcribe.groovy", new DeploymentOptions().setConfig(
          new JsonObject().put("pcmFile", file.toString()).put("resultAddress", "app.groovy.result")))
          .onFailure(ctx::failNow);
    }));
  }
}
