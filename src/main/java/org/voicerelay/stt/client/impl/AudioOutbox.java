package org.voicerelay.stt.client.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleConsumer;
import org.voicerelay.stt.audio.AudioChunker;
import org.voicerelay.stt.audio.AudioFormat;
import org.voicerelay.stt.audio.Resampler;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.internal.VertxInternals;
import org.voicerelay.stt.protocol.ProtocolCodec;

/**
 * The audio of one stream on its way to the gateway: written audio resampled and cut into 50 ms
 * chunks ({@code pending}), the chunks sent but not yet covered by a final transcript or
 * {@code session.finalized} ({@code unfinalized}, the replay buffer), and the positions where the
 * caller asked for {@code session.finalize}. After a reconnect the unfinalized chunks are sent
 * again first, so the new gateway session transcribes exactly what the old one had not finalized.
 *
 * <p>Chunks live off the Java heap, in pooled reference-counted buffers: written audio is copied
 * once, into the chunk being filled; a chunk is released when a final transcript covers it, when
 * it ages out of the replay buffer, or when the stream ends ({@link #clear()}). The replay buffer
 * holds seconds of audio per stream; on the heap, that audio was what young collections copied
 * around. Frames are pooled direct buffers too, whole WebSocket frames ({@link MaskedAudioFrame})
 * that Netty writes as they are and releases once written. Every buffer of audio and every frame
 * is allocated here and nowhere else in the client. Confined to the stream's context; the counters the stream
 * reports are volatile so that {@code bufferedBytes()} and {@code status()} may read them from
 * any thread.
 */
final class AudioOutbox {

  static final int CHUNK_MS = 50;

  /** 50 ms of audio (or a short last one); the outbox owns one reference of {@code pcm}. */
  private record Chunk(ByteBuf pcm, long startSample) {
    int bytes() {
      return pcm.readableBytes();
    }

    long endSample() {
      return startSample + pcm.readableBytes() / 2;
    }
  }

  private final int sessionRate;
  private final Resampler resampler;
  /** The written audio on its way into the resampler (which reads arrays); kept for the next write. */
  private byte[] toResample = new byte[0];
  /** The resampler's output array as a Netty buffer, to copy from into the chunk. */
  private ByteBuf resampled;
  private final ByteBufAllocator alloc;
  private final int chunkBytes;
  /** The chunk being filled by writes, or null; full chunks go to {@code pending}. */
  private ByteBuf filling;
  private final long replayLimitSamples;
  private final DoubleConsumer newAudioSeconds;
  private final ReplayedAudio replayed = ReplayedAudio.create();
  private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
  /** How frames reach {@code framesOf}, the socket of the last {@link #sendTo}; null: as {@code WebSocketFrame}s. */
  private WebSocket framesOf;
  private VertxInternals.EncodedFrames frames;
  private final ArrayDeque<Chunk> unfinalized = new ArrayDeque<>();
  /** Stream positions (samples) before which a finalize was asked for and not yet sent. */
  private final ArrayDeque<Long> finalizeRequested = new ArrayDeque<>();
  /** Positions of finalizes sent on this connection and not yet answered by session.finalized. */
  private final ArrayDeque<Long> finalizeSent = new ArrayDeque<>();
  private long samplesChunked;
  private long samplesSent;
  /** Nothing from this stream position on is sent until {@link #sendAll()}: a catch-up held back. */
  private long sendLimit = Long.MAX_VALUE;
  /** While a catch-up is paced by answers: how far past an answer the stream may send (samples); else 0. */
  private long paceWindow;
  /** The furthest stream position the gateway's transcripts on the current connection reached. */
  private long answeredSample;
  /** When the pace last let more go ({@link System#nanoTime()}). */
  private long lastPaceMoveNanos;
  private volatile long pendingBytes;
  /** The furthest stream position ever sent; replays do not move it. */
  private volatile long highestSampleSent;
  private volatile long framesSent;
  private volatile long replayTrimmedSamples;
  private volatile long replayBytes;

  /**
   * @param newAudioSeconds told the seconds of audio each frame adds beyond what was ever sent
   *     (usage; replays are not counted again)
   */
  AudioOutbox(int inputRate, int sessionRate, long replayBufferMs, DoubleConsumer newAudioSeconds) {
    this(inputRate, sessionRate, replayBufferMs, newAudioSeconds, PooledByteBufAllocator.DEFAULT);
  }

  /** @param alloc where chunks come from (a test counts them with its own) */
  AudioOutbox(int inputRate, int sessionRate, long replayBufferMs, DoubleConsumer newAudioSeconds,
      ByteBufAllocator alloc) {
    this.sessionRate = sessionRate;
    this.resampler = new Resampler(inputRate, sessionRate);
    this.alloc = alloc;
    this.chunkBytes = AudioChunker.chunkBytes(sessionRate, CHUNK_MS);
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
    if (!AudioFormat.isWholeSamples(length)) {
      return new SttException(SttErrorCode.INVALID_AUDIO, AudioFormat.oddLengthMessage(length));
    }
    long expected = resampler.isPassThrough() ? length
        : ((long) Math.ceil(length / 2.0 * sessionRate / resampler.inRate()) + 1) * 2;
    if (pendingBytes + fillingBytes() + expected > maxBufferedBytes) {
      return new SttException(SttErrorCode.BUFFER_FULL, "the stream buffers "
          + (pendingBytes + fillingBytes()) + " bytes already; limit maxBufferedBytes="
          + maxBufferedBytes + " (is the gateway slower than the audio?)");
    }
    if (resampler.isPassThrough()) {
      // from the caller's own buffer straight into the chunk: no view of it per write
      ByteBuf pcm = VertxInternals.bytesOf(data);
      append(pcm, pcm.readerIndex(), length);
    } else {
      // through the stream's own arrays (this one and the resampler's), none fresh per write
      ByteBuf pcm = VertxInternals.bytesOf(data);
      if (toResample.length < length) {
        toResample = new byte[length];
      }
      pcm.getBytes(pcm.readerIndex(), toResample, 0, length);
      int converted = resampler.processInto(toResample, 0, length);
      if (resampled == null || resampled.array() != resampler.output()) {
        resampled = Unpooled.wrappedBuffer(resampler.output()); // only when the resampler's array grew
      }
      append(resampled, 0, converted);
    }
    return null;
  }

  /** Cuts what is buffered into a last (short) chunk, to be sent without waiting for more audio. */
  void flushTail() {
    byte[] tail = resampler.drain();
    if (tail.length > 0) {
      append(Unpooled.wrappedBuffer(tail), 0, tail.length);
    }
    if (filling != null) {
      enqueueFilling();
    }
  }

  /** Cuts what is buffered into a last (short) chunk and asks for a finalize after it. */
  void requestFinalize() {
    flushTail();
    if (paceWindow > 0) {
      sendAll(); // the caller wants this turn's final: everything before it must reach the gateway anyway
    }
    if (finalizeRequested.isEmpty() || finalizeRequested.peekLast() != samplesChunked) {
      finalizeRequested.addLast(samplesChunked);
    }
  }

  /** Writes chunks and finalizes in order until the socket's write queue is full or nothing is left. */
  void sendTo(WebSocket ws) {
    if (ws != framesOf) {
      framesOf = ws;
      frames = VertxInternals.encodedFrames(ws);
    }
    while (!ws.writeQueueFull()) {
      Long finalizeAt = finalizeRequested.peekFirst();
      Chunk next = pending.peekFirst();
      if (finalizeAt != null && (next == null || next.startSample >= finalizeAt)) {
        if (finalizeAt > sendLimit) {
          return;
        }
        finalizeRequested.pollFirst();
        finalizeSent.addLast(samplesSent);
        ws.writeTextMessage(ProtocolCodec.FINALIZE_FRAME);
        continue;
      }
      if (next == null || next.startSample >= sendLimit) {
        return;
      }
      pending.pollFirst();
      pendingBytes -= next.bytes();
      framesSent++;
      if (frames != null) {
        frames.write(MaskedAudioFrame.encode(next.pcm, 0, next.bytes(), ThreadLocalRandom.current().nextInt(), alloc));
      } else {
        ws.writeFrame(VertxInternals.textFrame(ProtocolCodec.encodeAudioFrame(next.pcm, 0, next.bytes())));
      }
      long end = next.endSample();
      if (next.startSample < highestSampleSent) {
        replayed.replayed((Math.min(end, highestSampleSent) - next.startSample) * 2);
      }
      if (end > highestSampleSent) {
        newAudioSeconds.accept((end - Math.max(highestSampleSent, next.startSample)) / (double) sessionRate);
        highestSampleSent = end;
      }
      samplesSent = end;
      if (replayLimitSamples == 0) {
        next.pcm.release(); // encoded into the frame above: nothing refers to it any more
      } else {
        unfinalized.addLast(next);
        replayBytes += next.bytes();
        while (!unfinalized.isEmpty() && samplesSent - unfinalized.peekFirst().startSample > replayLimitSamples) {
          replayTrimmedSamples += releaseOldestUnfinalized() / 2;
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
      pendingBytes += c.bytes();
    }
    unfinalized.clear();
    replayBytes = 0;
    Chunk first = pending.peekFirst();
    samplesSent = first != null ? first.startSample : samplesChunked;
    answeredSample = samplesSent;
    return samplesSent;
  }

  /**
   * Sends only the first {@code ms} of what is waiting (the start of a replay) until
   * {@link #sendAll()}: enough for the gateway to answer, little enough not to crowd other streams.
   *
   * @return whether that holds anything back (more than {@code ms} is waiting)
   */
  boolean sendFirst(long ms) {
    Chunk first = pending.peekFirst();
    paceWindow = 0;
    sendLimit = (first != null ? first.startSample : samplesChunked) + ms * sessionRate / 1000;
    return samplesChunked > sendLimit;
  }

  /** Ends {@link #sendFirst} and any pace: everything waiting may go. */
  void sendAll() {
    sendLimit = Long.MAX_VALUE;
    paceWindow = 0;
  }

  /**
   * Ends {@link #sendFirst} by pacing the rest of the catch-up by the gateway's answers: from now on
   * the stream sends up to {@code ms} past the furthest point its transcripts reached
   * ({@link #answered}), and everything once that point is within {@code ms} of the newest audio,
   * or at once when a finalize is waiting.
   *
   * @return whether more may be sent now
   */
  boolean paceByAnswers(long ms) {
    if (sendLimit == Long.MAX_VALUE) {
      return false;
    }
    if (!finalizeRequested.isEmpty()) {
      sendAll(); // a final is wanted: everything before it must reach the gateway anyway
      return true;
    }
    paceWindow = Math.max(1, ms * sessionRate / 1000);
    lastPaceMoveNanos = System.nanoTime();
    return movePace();
  }

  /**
   * A transcript on the current connection reached stream position {@code sample}.
   *
   * @return whether that lets more of a paced catch-up go
   */
  boolean answered(long sample) {
    answeredSample = Math.max(answeredSample, sample);
    return paceWindow > 0 && movePace();
  }

  private boolean movePace() {
    long limit = answeredSample + paceWindow;
    if (limit <= sendLimit) {
      return false;
    }
    lastPaceMoveNanos = System.nanoTime();
    if (limit >= samplesChunked) {
      sendAll(); // caught up: real time again
    } else {
      sendLimit = limit;
    }
    return true;
  }

  /** Whether a paced catch-up has waited {@code ms} for an answer that lets more go. */
  boolean paceStalledFor(long ms) {
    return paceWindow > 0 && System.nanoTime() - lastPaceMoveNanos >= ms * 1_000_000;
  }

  /** Whether a catch-up is paced by answers. */
  boolean paced() {
    return paceWindow > 0;
  }

  /** A final transcript covers the stream up to this position (samples). */
  void finalCovers(long sample) {
    while (!unfinalized.isEmpty() && unfinalized.peekFirst().endSample() <= sample + 1) {
      releaseOldestUnfinalized();
    }
  }

  /** Drops the oldest chunk of the replay buffer; returns its size in bytes. */
  private int releaseOldestUnfinalized() {
    Chunk oldest = unfinalized.pollFirst();
    replayBytes -= oldest.bytes();
    oldest.pcm.release();
    return oldest.bytes();
  }

  /** {@code session.finalized}: everything before the oldest finalize sent is final. */
  void finalized() {
    Long mark = finalizeSent.pollFirst();
    if (mark != null) {
      while (!unfinalized.isEmpty() && unfinalized.peekFirst().endSample() <= mark) {
        releaseOldestUnfinalized();
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

  /** Lets go of every chunk: the stream is over. */
  void clear() {
    framesOf = null;
    frames = null;
    pending.forEach(c -> c.pcm.release());
    pending.clear();
    unfinalized.forEach(c -> c.pcm.release());
    unfinalized.clear();
    replayBytes = 0;
    if (filling != null) {
      filling.release();
      filling = null;
    }
    finalizeRequested.clear();
    finalizeSent.clear();
    pendingBytes = 0;
  }

  /** Bytes (at the session rate) waiting to be sent. Any thread. */
  long pendingBytes() {
    return pendingBytes;
  }

  /** Bytes held in the replay buffer (sent, not yet covered by a final). Any thread. */
  long replayBytes() {
    return replayBytes;
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

  /** Copies session-rate audio into the chunk being filled, which goes to {@code pending} when full. */
  private void append(ByteBuf pcm, int index, int length) {
    int at = index;
    int end = index + length;
    while (at < end) {
      if (filling == null) {
        filling = alloc.directBuffer(chunkBytes, chunkBytes);
      }
      int take = Math.min(end - at, filling.writableBytes());
      filling.writeBytes(pcm, at, take);
      at += take;
      if (!filling.isWritable()) {
        enqueueFilling();
      }
    }
  }

  private void enqueueFilling() {
    ByteBuf chunk = filling;
    filling = null;
    pending.addLast(new Chunk(chunk, samplesChunked));
    samplesChunked += chunk.readableBytes() / 2;
    pendingBytes += chunk.readableBytes();
  }

  private int fillingBytes() {
    return filling == null ? 0 : filling.readableBytes();
  }
}
