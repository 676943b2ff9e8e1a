package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input audio: resampling to the session rate and piping from files. */
class SpeechStreamAudioTest extends OnScriptedGateway {

  static byte[] tone(int rate, double hz, double seconds) {
    int n = (int) (rate * seconds);
    byte[] pcm = new byte[n * 2];
    for (int i = 0; i < n; i++) {
      short s = (short) (8000 * Math.sin(2 * Math.PI * hz * i / rate));
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    return pcm;
  }

  /** Frequency estimate from zero crossings: a resampler that got the rate wrong shifts it. */
  static double frequency(byte[] pcm, int rate) {
    int crossings = 0;
    short prev = 0;
    for (int i = 0; i < pcm.length / 2; i++) {
      short s = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
      if (i > 0 && (prev < 0) != (s < 0)) {
        crossings++;
      }
      prev = s;
    }
    return crossings / 2.0 / (pcm.length / 2.0 / rate);
  }

  private void resamplesTo16k(Vertx vertx, VertxTestContext ctx, int inputRate) {
    SpeechStream stream = SttClient.create(vertx, gateway.options())
        .stream(new StreamOptions().setInputSampleRate(inputRate));
    byte[] input = tone(inputRate, 440, 2.0);
    for (int off = 0; off < input.length; off += 960) {
      stream.write(Buffer.buffer(java.util.Arrays.copyOfRange(input, off, Math.min(input.length, off + 960))));
    }
    stream.end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      byte[] sent = gateway.connection(0).audio();
      assertEquals(64000, sent.length, 4, "2 s at 16 kHz, whatever the input rate");
      assertEquals("16000", gateway.connection(0).frames.get(0).getJsonObject("settings")
          .getString("sample_rate"));
      assertEquals(440, frequency(sent, 16000), 3, "the tone keeps its pitch");
      ctx.completeNow();
    })));
  }

  @Test
  void fortyEightKilohertzInputIsResampledToTheSessionRate(Vertx vertx, VertxTestContext ctx) {
    resamplesTo16k(vertx, ctx, 48000);
  }

  @Test
  void eightKilohertzInputIsResampledToTheSessionRate(Vertx vertx, VertxTestContext ctx) {
    resamplesTo16k(vertx, ctx, 8000);
  }

  @Test
  void aToneAboveTheSessionBandIsFilteredOutNotFoldedIn(Vertx vertx, VertxTestContext ctx) {
    SpeechStream stream = SttClient.create(vertx, gateway.options())
        .stream(new StreamOptions().setInputSampleRate(48000));
    stream.write(Buffer.buffer(tone(48000, 12000, 1.0)));
    stream.end().onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      byte[] sent = gateway.connection(0).audio();
      double energy = 0;
      for (int i = 200; i < sent.length / 2 - 200; i++) {
        short s = (short) ((sent[2 * i] & 0xff) | (sent[2 * i + 1] << 8));
        energy += s * (double) s;
      }
      double rms = Math.sqrt(energy / (sent.length / 2 - 400));
      assertTrue(rms < 200, "12 kHz cannot exist at 16 kHz; aliasing would leave ~5600 rms, got " + rms);
      ctx.completeNow();
    })));
  }

  @Test
  void aFilePipedIntoTheStreamArrivesWhole(Vertx vertx, VertxTestContext ctx, @TempDir Path dir)
      throws Exception {
    byte[] pcm = tone(16000, 300, 5.0);
    Path file = dir.resolve("tone.pcm");
    Files.write(file, pcm);
    SttClient client = SttClient.create(vertx, gateway.options().setWriteQueueMaxSize(8192));
    SpeechStream stream = client.stream();
    vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true))
        .compose(f -> f.pipeTo(stream))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertArrayEquals(pcm, gateway.connection(0).audio());
          assertEquals(5.0, stream.audioSecondsSent(), 1e-9);
          ctx.completeNow();
        })));
  }
}
