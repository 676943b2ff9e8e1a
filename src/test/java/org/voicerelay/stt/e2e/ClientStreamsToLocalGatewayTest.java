package org.voicerelay.stt.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.audio.WordErrorRate;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamOptions;
import org.voicerelay.stt.client.SttClient;

/**
 * A stream from the Java client to the real local gateway and Sphinx4 engine while the long
 * recording plays: interims before finals, and finals from the turn hook alone. Apart from
 * {@link ClientToLocalGatewayTest} (each recording's error rate) so that the two forks share them.
 */
@ExtendWith(VertxExtension.class)
class ClientStreamsToLocalGatewayTest extends OnLocalGateway {

  @Test
  void interimsThenFinalsArriveInOrderWhileTheRecordingStreams(VertxTestContext ctx) throws Exception {
    WavFile wav = WavFile.parse(Files.readAllBytes(Path.of("scripts/samples/rms-long-16k-mono.wav")));
    SttClient client = SttClient.create(vertx, options(SECRET));
    SpeechStream stream = client.stream(new StreamOptions().setInputSampleRate(wav.sampleRate()));
    List<SpeechEvent> events = new CopyOnWriteArrayList<>();
    stream.handler(events::add);
    stream.endHandler(v -> ctx.verify(() -> {
      List<SpeechEventType> types = events.stream().map(SpeechEvent::type).toList();
      int firstInterim = types.indexOf(SpeechEventType.INTERIM_TRANSCRIPT);
      int firstFinal = types.indexOf(SpeechEventType.FINAL_TRANSCRIPT);
      assertTrue(firstInterim >= 0 && firstInterim < firstFinal, "interims come before the first final");
      long finals = events.stream().filter(e -> e.type() == SpeechEventType.FINAL_TRANSCRIPT
          && !e.text().isBlank()).count();
      assertTrue(finals >= 3, "the pauses between sentences end utterances: " + finals + " finals");
      double lastEnd = -1;
      for (SpeechEvent e : events) {
        if (e.type() == SpeechEventType.FINAL_TRANSCRIPT && !e.text().isBlank()) {
          assertTrue(e.alternatives().get(0).startTime() >= lastEnd - 0.05, "finals move forward in time");
          lastEnd = e.alternatives().get(0).endTime();
        }
      }
      client.close();
      ctx.completeNow();
    }));
    stream.write(Buffer.buffer(wav.pcm()));
    stream.end();
    assertTrue(ctx.awaitCompletion(120, TimeUnit.SECONDS));
  }

  @Test
  void aSpeechmaticsStreamGetsItsFinalsFromTheTurnHookWithoutFlushAndLosesNoWords(VertxTestContext ctx)
      throws Exception {
    WavFile wav = WavFile.parse(Files.readAllBytes(Path.of("scripts/samples/rms-long-16k-mono.wav")));
    // the engine is told not to end utterances itself (60 s of silence): every final before end()
    // answers a session.finalize the turn hook sent at an end of speech
    SttClient client = SttClient.create(vertx, options(SECRET).setModel("speechmatics/enhanced")
        .setExtra(new JsonObject().put("max_turn_silence", 60_000)));
    SpeechStream stream = client.stream(new StreamOptions().setInputSampleRate(wav.sampleRate()));
    List<SpeechEvent> finals = new CopyOnWriteArrayList<>();
    stream.handler(e -> {
      if (e.type() == SpeechEventType.FINAL_TRANSCRIPT && !e.text().isBlank()) {
        finals.add(e);
      }
    });
    vertx.runOnContext(v -> {
      Buffer pcm = Buffer.buffer(wav.pcm());
      for (int at = 0; at < pcm.length(); at += 640) {
        stream.write(pcm.getBuffer(at, Math.min(pcm.length(), at + 640)));
      }
      // waits for the fourth final however long a loaded machine takes to decode (a 60 s cap here
      // ended the stream early under load and failed); without the turn hook none would come and
      // the test fails at its time limit
      vertx.setPeriodic(200, timer -> {
        if (finals.size() >= 4) {
          vertx.cancelTimer(timer);
          int beforeEnd = finals.size();
          stream.end().onComplete(ctx.succeeding(x -> ctx.verify(() -> {
            String heard = String.join(" ", finals.stream().map(SpeechEvent::text).toList());
            double wer = WordErrorRate.between((String) references.get("rms-long-16k-mono.wav"), heard);
            System.out.printf("e2e turn hook: %d finals before end, %d in all, WER %.3f \"%s\"%n", beforeEnd,
                finals.size(), wer, heard);
            assertTrue(beforeEnd >= 4, beforeEnd + " finals arrived without flush");
            assertTrue(wer <= 0.15, "WER " + wer + ": no words lost at the cuts");
            client.close();
            ctx.completeNow();
          })));
        }
      });
    });
    assertTrue(ctx.awaitCompletion(150, TimeUnit.SECONDS), "four finals without flush, then the end: " + finals.size()
        + " finals came");
  }
}
