package org.voicerelay.stt.client.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox's off-heap chunks: audio is copied once into them, frames carry exactly the audio
 * written, and every chunk is released when a final covers it or the stream ends, and never before
 * it is replayed.
 */
class AudioOutboxBuffersTest {

  private static final int RATE = 16_000;
  private static final int FRAME_20_MS = RATE / 50 * 2;

  /** Direct buffers, each remembered, so a test can see which are still referenced. */
  private static final class CountingAllocator extends AbstractByteBufAllocator {
    final List<ByteBuf> made = new ArrayList<>();

    CountingAllocator() {
      super(true);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      ByteBuf b = UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
      made.add(b);
      return b;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
      made.add(b);
      return b;
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    long live() {
      return made.stream().filter(b -> b.refCnt() > 0).count();
    }
  }

  private final CountingAllocator alloc = new CountingAllocator();
  private final List<byte[]> sent = new ArrayList<>();
  /** A socket that takes every frame and keeps the audio it carries. */
  private final WebSocket socket = (WebSocket) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {WebSocket.class}, (proxy, method, args) -> switch (method.getName()) {
        case "writeQueueFull" -> false;
        case "writeFrame" -> {
          WebSocketFrame frame = (WebSocketFrame) args[0];
          sent.add(Base64.getDecoder().decode(new JsonObject(frame.textData()).getString("audio")));
          yield Future.succeededFuture();
        }
        case "writeTextMessage" -> Future.succeededFuture();
        default -> throw new UnsupportedOperationException(method.getName());
      });
  private final AudioOutbox outbox = new AudioOutbox(RATE, RATE, 30_000, seconds -> { }, alloc);

  @AfterEach
  void endsWithNothingHeld() {
    outbox.clear();
    assertEquals(0, alloc.live(), "buffers still referenced after the stream ended");
  }

  private static byte[] frame(int index) {
    byte[] pcm = new byte[FRAME_20_MS];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (byte) (index * 31 + i);
    }
    return pcm;
  }

  private void write(int frames) {
    for (int k = 0; k < frames; k++) {
      assertEquals(null, outbox.offer(Buffer.buffer(frame(k)), 1 << 20));
    }
  }

  private byte[] sentAudio() {
    Buffer all = Buffer.buffer();
    sent.forEach(all::appendBytes);
    return all.getBytes();
  }

  private static byte[] written(int frames) {
    Buffer all = Buffer.buffer();
    for (int k = 0; k < frames; k++) {
      all.appendBytes(frame(k));
    }
    return all.getBytes();
  }

  @Test
  void twentyMillisecondWritesLeaveAsFiftyMillisecondFramesOfExactlyTheAudioWritten() {
    write(50);
    outbox.sendTo(socket);
    assertEquals(20, sent.size());
    sent.forEach(f -> assertEquals(1600, f.length));
    assertArrayEquals(written(50), sentAudio());
  }

  @Test
  void theCallerMayReuseItsBufferOnceTheWriteReturned() {
    Buffer reused = Buffer.buffer(frame(0));
    outbox.offer(reused, 1 << 20);
    reused.setBytes(0, new byte[FRAME_20_MS]);
    outbox.offer(Buffer.buffer(frame(1)), 1 << 20);
    outbox.offer(Buffer.buffer(frame(2)), 1 << 20);
    outbox.sendTo(socket);
    byte[] expected = written(3);
    assertArrayEquals(java.util.Arrays.copyOf(expected, 1600), sent.get(0));
  }

  @Test
  void aFinalTranscriptReleasesTheChunksItCovers() {
    write(50);
    outbox.sendTo(socket);
    assertEquals(20, alloc.live(), "the replay buffer holds one chunk per sent frame");
    outbox.finalCovers(RATE / 2);
    assertEquals(10, alloc.live());
    outbox.finalCovers(RATE);
    assertEquals(0, alloc.live());
    assertFalse(outbox.hasUnfinalized());
  }

  @Test
  void unfinalizedChunksAreSentAgainIntactAfterAReconnect() {
    write(50);
    outbox.sendTo(socket);
    outbox.finalCovers(RATE / 2);
    sent.clear();
    assertEquals(RATE / 2, outbox.replayFromUnfinalized());
    outbox.sendTo(socket);
    assertArrayEquals(java.util.Arrays.copyOfRange(written(50), RATE, 2 * RATE), sentAudio());
  }

  @Test
  void theEndOfAStreamReleasesPendingUnfinalizedAndThePartialChunk() {
    write(50);
    outbox.sendTo(socket);
    write(7);
    assertTrue(alloc.live() > 20, "sent, pending and partial chunks are held");
    outbox.clear();
    assertEquals(0, alloc.live());
  }

  @Test
  void theReplayByteCountFollowsWhatIsSentFinalizedAndReplayed() {
    write(50);
    assertEquals(0, outbox.replayBytes(), "nothing is kept before it is sent");
    outbox.sendTo(socket);
    assertEquals(2 * RATE, outbox.replayBytes(), "a second of audio sent and not final");
    outbox.finalCovers(RATE / 2);
    assertEquals(RATE, outbox.replayBytes());
    outbox.replayFromUnfinalized();
    assertEquals(0, outbox.replayBytes(), "queued again: buffered, not held for replay");
    outbox.sendTo(socket);
    assertEquals(RATE, outbox.replayBytes());
    outbox.clear();
    assertEquals(0, outbox.replayBytes());
  }

  @Test
  void buffersOfEveryShapeArriveExactlyAndAreLeftAsTheyWere() {
    // the writes of an application: its own Buffer, a slice of a larger one, a Buffer around a
    // pooled direct Netty buffer, and one around a Netty buffer whose reader index has moved
    // (what its length() counts goes: the readable bytes)
    byte[] big = written(4);
    Buffer slice = Buffer.buffer(big).slice(FRAME_20_MS, 2 * FRAME_20_MS);
    ByteBuf direct = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(FRAME_20_MS).writeBytes(frame(2));
    ByteBuf moved = io.netty.buffer.Unpooled.wrappedBuffer(frame(3));
    moved.readerIndex(100);
    Buffer[] writes = {Buffer.buffer(frame(0)), slice, io.vertx.core.internal.buffer.BufferInternal.buffer(direct),
        io.vertx.core.internal.buffer.BufferInternal.buffer(moved)};
    for (Buffer b : writes) {
      assertEquals(null, outbox.offer(b, 1 << 20));
    }
    write(0);
    outbox.requestFinalize();
    outbox.sendTo(socket);
    byte[] expected = new byte[4 * FRAME_20_MS - 100];
    System.arraycopy(frame(0), 0, expected, 0, FRAME_20_MS);
    System.arraycopy(frame(1), 0, expected, FRAME_20_MS, FRAME_20_MS);
    System.arraycopy(frame(2), 0, expected, 2 * FRAME_20_MS, FRAME_20_MS);
    System.arraycopy(frame(3), 100, expected, 3 * FRAME_20_MS, FRAME_20_MS - 100);
    assertArrayEquals(expected, sentAudio());
    assertEquals(FRAME_20_MS, slice.length());
    assertArrayEquals(frame(1), slice.getBytes());
    assertEquals(1, direct.refCnt(), "the caller's buffer is neither retained nor released");
    assertEquals(0, direct.readerIndex());
    assertEquals(100, moved.readerIndex());
    direct.release();
  }

  @Test
  void aWriteOfPartOfAChunkAllocatesNothingOnTheHeap() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    // a 100-byte write fills part of a chunk: nothing to queue, nothing to send
    Buffer small = Buffer.buffer(new byte[100]);
    AudioOutbox pooled = new AudioOutbox(RATE, RATE, 30_000, seconds -> { });
    try {
      for (int i = 0; i < 20_000; i++) { // compiled, and the chunk of the first writes allocated
        pooled.offer(small, Integer.MAX_VALUE);
        if (i % 16 == 15) {
          pooled.clear();
        }
      }
      pooled.clear();
      pooled.offer(small, Integer.MAX_VALUE); // the chunk is allocated here, not below
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 10; i++) {
        pooled.offer(small, Integer.MAX_VALUE);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      // a view of the caller's buffer per write was 40-80 bytes; allow the odd interpreter frame
      assertTrue(allocated < 10 * 24, "10 writes into one chunk allocated " + allocated + " bytes");
    } finally {
      pooled.clear();
    }
  }

  @Test
  void resampledWritesArriveAsTheResamplerMakesThemAndAllocateNothingPerWrite() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    // 48 kHz in (WebRTC's rate), 16 kHz to the gateway: 10 ms writes of 960 bytes, 320 out
    AudioOutbox resampling = new AudioOutbox(48_000, RATE, 30_000, seconds -> { }, alloc);
    org.voicerelay.stt.audio.Resampler reference = new org.voicerelay.stt.audio.Resampler(48_000, RATE);
    byte[] in = new byte[960];
    Buffer expected = Buffer.buffer();
    try {
      for (int k = 0; k < 200; k++) {
        for (int i = 0; i < in.length; i += 2) {
          short s = (short) (8000 * Math.sin(2 * Math.PI * 300 * (k * 480 + i / 2) / 48_000.0));
          in[i] = (byte) s;
          in[i + 1] = (byte) (s >> 8);
        }
        assertEquals(null, resampling.offer(Buffer.buffer(in), 1 << 20));
        expected.appendBytes(reference.process(in));
      }
      resampling.requestFinalize();
      expected.appendBytes(reference.drain());
      resampling.sendTo(socket);
      assertArrayEquals(expected.getBytes(), sentAudio());

      Buffer write = Buffer.buffer(in);
      for (int i = 0; i < 20_000; i++) { // compiled; chunks of 5 writes, let go at once
        resampling.offer(write, Integer.MAX_VALUE);
        if (i % 5 == 4) {
          resampling.clear();
        }
      }
      resampling.clear();
      resampling.offer(write, Integer.MAX_VALUE); // the chunk is allocated here, not below
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 3; i++) { // 4 x 320 bytes: the chunk of 1600 is not full
        resampling.offer(write, Integer.MAX_VALUE);
      }
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      // fresh arrays per write were about 7 KB a write (a copy of the input, floats, the output)
      assertTrue(allocated < 3 * 24, "3 resampled writes into one chunk allocated " + allocated + " bytes");
    } finally {
      resampling.clear();
    }
  }
}
