package org.voicerelay.stt.bench;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;

/** A stream of the client bench and what the bench knows of it; touched only on the stream's event loop. */
final class TrackedStream {
  final SpeechStream stream;
  long frames;
  long expectedBytes = -1;
  long finals;
  long lastTotalBytes = -1;
  long lastTotalChecksum = -1;
  Runnable onCovered;
  /** End-of-utterance mode: where the finalize -> final samples go (us), and no more writes after end. */
  List<Long> eouSamples;
  boolean ended;

  TrackedStream(SpeechStream stream) {
    this.stream = stream;
    stream.handler(this::onEvent);
    stream.exceptionHandler(err -> { });
  }

  private void onEvent(SpeechEvent event) {
    if (event.type() != SpeechEventType.FINAL_TRANSCRIPT || event.alternatives().isEmpty()) {
      return;
    }
    finals++;
    JsonObject meta = event.alternatives().get(0).metadata();
    if (eouSamples != null && meta != null && meta.containsKey(BenchGatewayMain.FINALIZE_AT)) {
      eouSamples.add(BenchGatewayMain.nowMicros() - meta.getLong(BenchGatewayMain.FINALIZE_AT));
    }
    if (meta != null && meta.containsKey("totalBytes")) {
      lastTotalBytes = meta.getLong("totalBytes");
      lastTotalChecksum = meta.getLong("totalChecksum");
      if (lastTotalBytes == expectedBytes && onCovered != null) {
        Runnable r = onCovered;
        onCovered = null;
        r.run();
      }
    }
  }

  /** Whether the last final counts every byte written, with the tone's CRC32. */
  boolean everyByte(int frameBytes) {
    return lastTotalBytes == expectedBytes && lastTotalChecksum == ToneAudio.expectedChecksum(frames, frameBytes);
  }

  /** Writes while the stream takes more, then waits for its drain; ends after the last frame. */
  void pump(long total, int frameBytes) {
    while (frames < total && !stream.writeQueueFull()) {
      stream.write(ToneAudio.frame(frames++, frameBytes));
    }
    if (frames < total) {
      stream.drainHandler(v -> pump(total, frameBytes));
    } else {
      stream.drainHandler(null);
      stream.finalizeUtterance();
    }
  }
}
