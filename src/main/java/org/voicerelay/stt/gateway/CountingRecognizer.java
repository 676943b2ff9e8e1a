package org.voicerelay.stt.gateway;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.voicerelay.stt.gateway.engine.Hypothesis;
import org.voicerelay.stt.gateway.engine.Recognition;
import org.voicerelay.stt.gateway.engine.RecognitionListener;
import org.voicerelay.stt.gateway.engine.RecognitionRequest;
import org.voicerelay.stt.gateway.engine.Recognizer;

/**
 * A deterministic engine for load tests and protocol checks: it recognizes nothing, it counts.
 * Its transcripts say how many audio chunks and bytes arrived, and carry a CRC32 of those bytes,
 * so a benchmark can prove that every chunk of every session arrived, once and in order, without
 * the cost or the uncertainty of real recognition.
 *
 * <p>A <em>frame</em> is one {@link Recognition#accept} call with audio in it, i.e. one
 * {@code input_audio} frame of the client. Per utterance (the audio since the previous final):
 * <ul>
 *   <li>speech starts at the utterance's first frame;</li>
 *   <li>every {@code interimEveryFrames} frames an interim with text {@code "frames N"};</li>
 *   <li>on finalize, or when the utterance reaches {@code endpointSeconds} of audio (0 = never),
 *       a final with text {@code "frames N bytes M"} and {@code extra}
 *       {@code {"frames":N,"bytes":M,"checksum":C,"totalFrames":..,"totalBytes":..,"totalChecksum":..}},
 *       where {@code checksum} is the CRC32 of the utterance's bytes and the {@code total} fields
 *       cover the whole session.</li>
 * </ul>
 *
 * <p>Config keys: {@code sampleRate} (default 16000), {@code interimEveryFrames} (20),
 * {@code endpointSeconds} (0). Everything happens on the caller's thread, in microseconds, and
 * nothing is ever pending.
 */
public final class CountingRecognizer implements Recognizer {

  public static final int DEFAULT_SAMPLE_RATE = 16_000;
  public static final int DEFAULT_INTERIM_EVERY_FRAMES = 20;
  public static final double DEFAULT_ENDPOINT_SECONDS = 0;

  private final int sampleRate;
  private final int interimEveryFrames;
  private final long endpointBytes;

  public CountingRecognizer(JsonObject config) {
    this.sampleRate = config.getInteger("sampleRate", DEFAULT_SAMPLE_RATE);
    this.interimEveryFrames = config.getInteger("interimEveryFrames", DEFAULT_INTERIM_EVERY_FRAMES);
    double endpointSeconds = config.getDouble("endpointSeconds", DEFAULT_ENDPOINT_SECONDS);
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
    }
    if (interimEveryFrames <= 0) {
      throw new IllegalArgumentException("interimEveryFrames must be positive, got " + interimEveryFrames);
    }
    if (endpointSeconds < 0) {
      throw new IllegalArgumentException("endpointSeconds must not be negative, got " + endpointSeconds);
    }
    this.endpointBytes = Math.round(endpointSeconds * sampleRate) * 2;
  }

  public CountingRecognizer() {
    this(new JsonObject());
  }

  @Override
  public String name() {
    return LocalGatewayVerticle.RECOGNIZER_COUNTING;
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public Recognition open(RecognitionRequest request, RecognitionListener listener) {
    return new Counting(listener);
  }

  @Override
  public void close() {
  }

  private final class Counting implements Recognition {

    private final RecognitionListener listener;
    private final CRC32 utteranceChecksum = new CRC32();
    private final CRC32 totalChecksum = new CRC32();
    private long utteranceFrames;
    private long utteranceBytes;
    private long utteranceStartByte;
    private long totalFrames;
    private long totalBytes;
    private boolean closed;

    Counting(RecognitionListener listener) {
      this.listener = listener;
    }

    @Override
    public void accept(byte[] pcm) {
      if (closed || pcm.length == 0) {
        return;
      }
      if (utteranceFrames == 0) {
        listener.onSpeechStart(seconds(totalBytes));
      }
      utteranceChecksum.update(pcm);
      totalChecksum.update(pcm);
      utteranceFrames++;
      utteranceBytes += pcm.length;
      totalFrames++;
      totalBytes += pcm.length;
      if (endpointBytes > 0 && utteranceBytes >= endpointBytes) {
        listener.onFinal(settle());
      } else if (utteranceFrames % interimEveryFrames == 0) {
        listener.onInterim(new Hypothesis("frames " + utteranceFrames, seconds(utteranceStartByte),
            seconds(totalBytes), 1.0, List.of(), Map.of()));
      }
    }

    @Override
    public void finalizeUtterance() {
      if (closed) {
        return;
      }
      listener.onFinal(settle());
      listener.onFinalized();
    }

    /** The final of the current utterance; the next one starts empty. */
    private Hypothesis settle() {
      Map<String, Object> extra = Map.of(
          "frames", utteranceFrames,
          "bytes", utteranceBytes,
          "checksum", utteranceChecksum.getValue(),
          "totalFrames", totalFrames,
          "totalBytes", totalBytes,
          "totalChecksum", totalChecksum.getValue());
      Hypothesis result = new Hypothesis("frames " + utteranceFrames + " bytes " + utteranceBytes,
          seconds(utteranceStartByte), seconds(totalBytes), 1.0, List.of(), extra);
      utteranceChecksum.reset();
      utteranceFrames = 0;
      utteranceBytes = 0;
      utteranceStartByte = totalBytes;
      return result;
    }

    @Override
    public long pendingBytes() {
      return 0;
    }

    @Override
    public void close() {
      closed = true;
    }

    private double seconds(long bytes) {
      return bytes / 2.0 / sampleRate;
    }
  }
}
