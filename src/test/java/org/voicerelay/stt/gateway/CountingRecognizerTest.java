package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.voicerelay.stt.gateway.engine.Hypothesis;
import org.voicerelay.stt.gateway.engine.Recognition;
import org.voicerelay.stt.gateway.engine.RecognitionListener;

class CountingRecognizerTest {

  private final List<String> events = new ArrayList<>();
  private final List<Hypothesis> finals = new ArrayList<>();

  private final RecognitionListener listener = new RecognitionListener() {
    @Override
    public void onSpeechStart(double atSeconds) {
      events.add("speech@" + atSeconds);
    }

    @Override
    public void onInterim(Hypothesis hypothesis) {
      events.add("interim:" + hypothesis.text());
    }

    @Override
    public void onFinal(Hypothesis hypothesis) {
      events.add("final:" + hypothesis.text());
      finals.add(hypothesis);
    }

    @Override
    public void onFinalized() {
      events.add("finalized");
    }

    @Override
    public void onError(Throwable failure) {
      events.add("error");
    }
  };

  @Test
  void theFinalCountsFramesBytesAndChecksumsTheAudio() {
    Recognition recognition = new CountingRecognizer().open(null, listener);
    CRC32 crc = new CRC32();
    for (int i = 0; i < 3; i++) {
      byte[] pcm = new byte[1600];
      pcm[i] = (byte) (i + 1);
      crc.update(pcm);
      recognition.accept(pcm);
    }
    recognition.finalizeUtterance();
    Hypothesis fin = finals.get(0);
    assertEquals("frames 3 bytes 4800", fin.text());
    assertEquals(crc.getValue(), fin.extra().get("checksum"));
    assertEquals(0.15, fin.end(), 1e-9);
    assertEquals(List.of("speech@0.0", "final:frames 3 bytes 4800", "finalized"), events);
  }

  @Test
  void interimsComeEveryNFrames() {
    Recognition recognition = new CountingRecognizer(new JsonObject().put("interimEveryFrames", 2))
        .open(null, listener);
    for (int i = 0; i < 4; i++) {
      recognition.accept(new byte[320]);
    }
    assertEquals(List.of("speech@0.0", "interim:frames 2", "interim:frames 4"), events);
  }

  @Test
  void anEndpointSettlesTheUtteranceAndTheNextOneStartsAfterIt() {
    Recognition recognition = new CountingRecognizer(new JsonObject().put("endpointSeconds", 0.1))
        .open(null, listener);
    for (int i = 0; i < 3; i++) {
      recognition.accept(new byte[1600]);
    }
    recognition.finalizeUtterance();
    assertEquals("frames 2 bytes 3200", finals.get(0).text());
    assertEquals("frames 1 bytes 1600", finals.get(1).text());
    assertEquals(0.1, finals.get(1).start(), 1e-9);
    assertEquals(3L, finals.get(1).extra().get("totalFrames"));
    assertEquals(List.of("speech@0.0", "final:frames 2 bytes 3200", "speech@0.1",
        "final:frames 1 bytes 1600", "finalized"), events);
  }

  @Test
  void aFinalizeWithNoAudioGivesAnEmptyCountAndStillFinalizes() {
    Recognition recognition = new CountingRecognizer().open(null, listener);
    recognition.finalizeUtterance();
    assertEquals(List.of("final:frames 0 bytes 0", "finalized"), events);
  }
}
