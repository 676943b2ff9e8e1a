package org.voicerelay.stt.client.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.DoubleConsumer;
import org.voicerelay.stt.audio.AudioChunker;
import org.voicerelay.stt.audio.Resampler;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.protocol.ProtocolCodec;

/**
 * The audio of one stream on its way to the gateway: written audio resampled and cut into 50 ms
 * chunks ({@code pending}), the chunks sent but not yet covered by a final transcript or
 * {@code session.finalized} ({@code unfinalized}, the replay buffer), and the positions where the
 * caller asked for {@code session.finalize}. After a reconnect the unfinalized chunks are sent
 * again first, so the new gateway session transcribes exactly what the old one had not finalized.
 *
 * <p>Every array of audio and every frame is allocated here and nowhere else in the client.
 * Confined to the stream's context; the counters the stream reports are volatile so that
 * {@code bufferedBytes()} and {@code status()} may read them from any thread.
 */
final class AudioOutbox {

  static final int CHUNK_MS = 50;
  /**
   * Whole-chunk arrays the replay buffer let go of, reused for new chunks. Audio stays in the
   * replay buffer until a final transcript covers it (seconds), long enough to survive young
   * collections: at 2000 sessions the GC copying those arrays around paused the process for
   * 50-150 ms. Reused arrays stay put in the old generation instead. At most this many (about
   * 100 KiB at 16 kHz) per stream, freed when the stream ends.
   */
  private static final int MAX_SPARE_CHUNKS = 64;

  private record Chunk(byte[] pcm, long startSample) {
    long endSample() {
      return startSample + pcm.length / 2;
    }
  }

  private final int sessionRate;
  private final Resampler resampler;
  private final AudioChunker chunker;
  private final long replayLimitSamples;
  private final DoubleConsumer newAudioSeconds;
  private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
  private final ArrayDeque<Chunk> unfinalized = new ArrayDeque<>();
  private final ArrayDeque<byte[]> spareChunks = new ArrayDeque<>();
  /** Stream positions (samples) before which a finalize was asked for and not yet sent. */
  private final ArrayDeque<Long> finalizeRequested = new ArrayDeque<>();
  /** Positions of finalizes sent on this connection and not yet answered by session.finalized. */
  private final ArrayDeque<Long> finalizeSent = new ArrayDeque<>();
  private long samplesChunked;
  private long samplesSent;
  private volatile long pendingBytes;
  /** The furthest stream position ever sent; replays do not move it. */
  private volatile long highestSampleSent;
  private volatile long framesSent;
  private volatile long replayTrimmedSamples;

  /**
   * @param newAudioSeconds told the seconds of audio each frame adds beyond what was ever sent
   *     (usage; replays are not counted again)
   */
  AudioOutbox(int inputRate, int sessionRate, long replayBufferMs, DoubleConsumer newAudioSeconds) {
    this.sessionRate = sessionRate;
    this.resampler = new Resampler(inputRate, sessionRate);
    this.chunker = new AudioChunker(AudioChunker.chunkBytes(sessionRate, CHUNK_MS));
    this.replayLimitSamples = replayBufferMs * sessionRate / 1000;
    this.newAudioSeconds = newAudioSeconds;
  }

  /**
   * Takes written audio at the input rate, or says why not (nothing is kept then).
   *
   * @param maxBufferedBytes the hard limit of audio waiting to be sent
   */
  SttException offer(Buffer data, int maxBufferedBytes) {
    int length = data.length();
    if ((length & 1) != 0) {
      return new SttException(SttErrorCode.INVALID_AUDIO,
          "pcm_s16le audio must have an even number of bytes, got " + length);
    }
    long expected = resampler.isPassThrough() ? length
        : ((long) Math.ceil(length / 2.0 * sessionRate / resampler.inRate()) + 1) * 2;
    if (pendingBytes + chunker.remainder() + expected > maxBufferedBytes) {
      return new SttException(SttErrorCode.BUFFER_FULL, "the stream buffers "
          + (pendingBytes + chunker.remainder()) + " bytes already; limit maxBufferedBytes="
          + maxBufferedBytes + " (is the gateway slower than the audio?)");
    }
    if (resampler.isPassThrough() && chunker.remainder() == 0 && length % chunker.chunkBytes() == 0) {
      // the usual case (whole 50 ms multiples at the session rate): cut the chunks straight from
      // the buffer instead of copying it whole first and then again into chunks
      int size = chunker.chunkBytes();
      for (int at = 0; at < length; at += size) {
        byte[] chunk = spareChunks.isEmpty() ? new byte[size] : spareChunks.pollFirst();
        data.getBytes(at, at + size, chunk, 0);
        enqueue(chunk);
      }
    } else {
      byte[] pcm = data.getBytes();
      enqueueAll(resampler.isPassThrough() ? pcm : resampler.process(pcm));
    }
    return null;
  }

  /** Cuts what is buffered into a last (short) chunk and asks for a finalize after it. */
  void requestFinalize() {
    byte[] tail = resampler.drain();
    if (tail.length > 0) {
      enqueueAll(tail);
    }
    byte[] last = chunker.flush();
    if (last != null) {
      enqueue(last);
    }
    if (finalizeRequested.isEmpty() || finalizeRequested.peekLast() != samplesChunked) {
      finalizeRequested.addLast(samplesChunked);
    }
  }

  /** Writes chunks and finalizes in order until the socket's write queue is full or nothing is left. */
  void sendTo(WebSocket ws) {
    while (!ws.writeQueueFull()) {
      Long finalizeAt = finalizeRequested.peekFirst();
      Chunk next = pending.peekFirst();
      if (finalizeAt != null && (next == null || next.startSample >= finalizeAt)) {
        finalizeRequested.pollFirst();
        finalizeSent.addLast(samplesSent);
        ws.writeTextMessage(ProtocolCodec.FINALIZE_FRAME);
        continue;
      }
      if (next == null) {
        return;
      }
      pending.pollFirst();
      pendingBytes -= next.pcm.length;
      framesSent++;
      ws.writeFrame(WebSocketInternals.textFrame(ProtocolCodec.encodeAudioFrame(next.pcm, 0, next.pcm.length)));
      long end = next.endSample();
      if (end > highestSampleSent) {
        newAudioSeconds.accept((end - Math.max(highestSampleSent, next.startSample)) / (double) sessionRate);
        highestSampleSent = end;
      }
      samplesSent = end;
      if (replayLimitSamples == 0) {
        recycle(next); // encoded into the frame above: nothing refers to it any more
      } else {
        unfinalized.addLast(next);
        while (!unfinalized.isEmpty() && samplesSent - unfinalized.peekFirst().startSample > replayLimitSamples) {
          Chunk old = unfinalized.pollFirst();
          replayTrimmedSamples += old.pcm.length / 2;
          recycle(old);
        }
      }
    }
  }

  /**
   * For a new connection: puts the unfinalized chunks back in front of the queue, with a finalize
   * after them if one was unanswered.
   *
   * @return the stream position (samples) at which the new connection's gateway time is zero
   */
  long replayFromUnfinalized() {
    if (!finalizeSent.isEmpty()) {
      finalizeSent.clear();
      if (finalizeRequested.isEmpty() || finalizeRequested.peekFirst() != samplesSent) {
        finalizeRequested.addFirst(samplesSent);
      }
    }
    Iterator<Chunk> back = unfinalized.descendingIterator();
    while (back.hasNext()) {
      Chunk c = back.next();
      pending.addFirst(c);
      pendingBytes += c.pcm.length;
    }
    unfinalized.clear();
    Chunk first = pending.peekFirst();
    samplesSent = first != null ? first.startSample : samplesChunked;
    return samplesSent;
  }

  /** A final transcript covers the stream up to this position (samples). */
  void finalCovers(long sample) {
    while (!unfinalized.isEmpty() && unfinalized.peekFirst().endSample() <= sample + 1) {
      recycle(unfinalized.pollFirst());
    }
  }

  /** {@code session.finalized}: everything before the oldest finalize sent is final. */
  void finalized() {
    Long mark = finalizeSent.pollFirst();
    if (mark != null) {
      while (!unfinalized.isEmpty() && unfinalized.peekFirst().endSample() <= mark) {
        recycle(unfinalized.pollFirst());
      }
    }
  }

  /** Nothing left to send: no chunk and no finalize waiting. */
  boolean drained() {
    return pending.isEmpty() && finalizeRequested.isEmpty();
  }

  boolean hasUnfinalized() {
    return !unfinalized.isEmpty();
  }

  /** A finalize was sent on this connection and {@code session.finalized} has not answered it. */
  boolean awaitingFinalized() {
    return !finalizeSent.isEmpty();
  }

  void clear() {
    pending.clear();
    unfinalized.clear();
    spareChunks.clear();
    finalizeRequested.clear();
    finalizeSent.clear();
    pendingBytes = 0;
  }

  /** Bytes (at the session rate) waiting to be sent. Any thread. */
  long pendingBytes() {
    return pendingBytes;
  }

  /** Seconds of audio sent, over all connections, replays not counted twice. Any thread. */
  double secondsSent() {
    return highestSampleSent / (double) sessionRate;
  }

  /** Frames sent, replays included. Any thread. */
  long framesSent() {
    return framesSent;
  }

  /** Seconds of audio that aged out of the replay buffer before a final transcript covered it. Any thread. */
  double replayTrimmedSeconds() {
    return replayTrimmedSamples / (double) sessionRate;
  }

  int sessionRate() {
    return sessionRate;
  }

  private void enqueueAll(byte[] sessionPcm) {
    for (byte[] chunk : chunker.push(sessionPcm)) {
      enqueue(chunk);
    }
  }

  private void enqueue(byte[] chunk) {
    pending.addLast(new Chunk(chunk, samplesChunked));
    samplesChunked += chunk.length / 2;
    pendingBytes += chunk.length;
  }

  /** Keeps the array of a whole chunk that nothing refers to any more for a later chunk. */
  private void recycle(Chunk c) {
    if (c != null && c.pcm.length == chunker.chunkBytes() && spareChunks.size() < MAX_SPARE_CHUNKS) {
      spareChunks.addFirst(c.pcm);
    }
  }
}
