package org.voicerelay.stt.gateway.sphinx;

import edu.cmu.sphinx.result.Result;
import org.voicerelay.stt.audio.AudioFormat;
import org.voicerelay.stt.gateway.engine.Hypothesis;
import org.voicerelay.stt.gateway.engine.Recognition;
import org.voicerelay.stt.gateway.engine.RecognitionListener;
import org.voicerelay.stt.gateway.engine.RecognitionRequest;

/**
 * One session on the Sphinx4 engine. The event-loop side only queues audio and finalize marks and
 * asks the pool for a decoder; {@link #serve} then runs on the decoder's thread, streaming the queue
 * through the decoder until the session is done, closed, or pauses while others wait.
 */
final class SphinxRecognition implements Recognition {

  private static final double BYTES_PER_SECOND = SphinxDecoder.SAMPLE_RATE * 2.0;
  /** An unchanged interim is repeated after this much audio, so listeners see progress. */
  private static final double INTERIM_REPEAT_SECONDS = 0.5;

  private final DecoderPool pool;
  private final ResultReader reader;
  private final RecognitionListener listener;
  private final AudioQueue audio = new AudioQueue();
  private volatile boolean stopped;
  /** The session's end-of-utterance silence in ms; a {@code session.update} changes it for the next stream. */
  private volatile int endSilenceMs;

  // decoder-thread state; one decoder serves the session at a time and the pool's queue orders them
  private double streamOffset;
  private String lastInterimText = "";
  private double lastInterimAt;
  private int finalsAfterEnd;
  private SessionCmn.Snapshot normalisation;

  SphinxRecognition(DecoderPool pool, ResultReader reader, RecognitionListener listener, int endSilenceMs) {
    this.endSilenceMs = endSilenceMs;
    this.pool = pool;
    this.reader = reader;
    this.listener = listener;
  }

  @Override
  public void accept(byte[] pcm) {
    AudioFormat.requireWholeSamples(pcm.length);
    if (pcm.length > 0 && audio.add(pcm)) {
      pool.schedule(this);
    }
  }

  @Override
  public void finalizeUtterance() {
    if (audio.markFinalize()) {
      pool.schedule(this);
    }
  }

  /** A new end-of-utterance silence applies from the next stream (after a finalize or a hand-over). */
  @Override
  public void update(RecognitionRequest request) {
    if (request.endOfUtteranceSilenceMs() != null) {
      endSilenceMs = request.endOfUtteranceSilenceMs();
    }
  }

  @Override
  public long pendingBytes() {
    return audio.pendingBytes();
  }

  @Override
  public void close() {
    stopped = true;
    audio.closeQueue();
  }

  /** Runs on a decoder thread: decodes until the session has nothing left, closes, or yields. */
  void serve(SphinxDecoder decoder) {
    try {
      boolean more = !stopped;
      while (more) {
        decodeStream(decoder);
        AudioQueue.End end = audio.end();
        if (end == AudioQueue.End.FINALIZE) {
          if (finalsAfterEnd == 0) {
            deliverFinal(reader.settled(null, streamOffset, audio.readBytes() / BYTES_PER_SECOND));
          }
          if (!stopped) {
            listener.onFinalized();
          }
        } else if (end == AudioQueue.End.CLOSE && !stopped) {
          fail(new IllegalStateException("the sphinx4 engine was closed"));
        }
        more = end == AudioQueue.End.FINALIZE && !stopped && audio.hasWork() && !pool.hasWaiting();
      }
    } catch (RuntimeException | Error e) {
      fail(e);
    } finally {
      if (audio.release()) {
        pool.schedule(this);
      }
    }
  }

  private void decodeStream(SphinxDecoder decoder) {
    streamOffset = audio.readBytes() / BYTES_PER_SECOND;
    finalsAfterEnd = 0;
    audio.restart(() -> pool.hasWaiting() && decoder.atPause());
    decoder.endSilence(endSilenceMs);
    normalisation = decoder.decode(audio, normalisation, this::segmentEnded, this::interimResult,
        this::speechStarted);
  }

  private void segmentEnded(Result result) {
    boolean flushed = audio.end() != null;
    Hypothesis hypothesis = reader.settled(result, streamOffset, audio.readBytes() / BYTES_PER_SECOND);
    if (flushed && audio.end() == AudioQueue.End.FINALIZE) {
      finalsAfterEnd++;
      deliverFinal(hypothesis);
    } else if (!hypothesis.text().isEmpty()) {
      deliverFinal(hypothesis);
    }
  }

  private void interimResult(Result result) {
    Hypothesis hypothesis = reader.interim(result, streamOffset);
    if (hypothesis == null || stopped) {
      return;
    }
    double audioTime = streamOffset + result.getCollectTime() / 1000.0;
    if (!hypothesis.text().equals(lastInterimText) || audioTime - lastInterimAt >= INTERIM_REPEAT_SECONDS) {
      lastInterimText = hypothesis.text();
      lastInterimAt = audioTime;
      listener.onInterim(hypothesis);
    }
  }

  private void speechStarted(long sample) {
    if (!stopped) {
      listener.onSpeechStart(streamOffset + sample / (double) SphinxDecoder.SAMPLE_RATE);
    }
  }

  private void deliverFinal(Hypothesis hypothesis) {
    lastInterimText = "";
    if (!stopped) {
      listener.onFinal(hypothesis);
    }
  }

  /** Ends the session with an error; later calls are ignored. */
  void fail(Throwable failure) {
    if (stopped) {
      return;
    }
    stopped = true;
    audio.closeQueue();
    listener.onError(failure);
  }
}
