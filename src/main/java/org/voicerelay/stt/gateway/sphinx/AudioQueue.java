package org.voicerelay.stt.gateway.sphinx;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One session's audio between the event loop, which adds chunks without waiting, and a decoder
 * thread, which reads them as a blocking stream. The stream ends (read returns -1) at each
 * finalize mark, when the session closes, or when the decoder should pass to another session (asked
 * before each read, so the cut falls exactly between two reads); the decoder then re-reads the same
 * queue from where it stopped. The chunks are the caller's arrays,
 * never copied. Also keeps whether the session is waiting for or holding a decoder, under the same
 * lock, so that a chunk added as the decoder lets go is never stranded.
 */
final class AudioQueue extends InputStream {

  /** Why the stream last ended. */
  enum End {
    FINALIZE, PASS, CLOSE
  }

  private static final byte[] FINALIZE_MARK = new byte[0];
  private static final long PASS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(40);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private int headOffset;
  private volatile long pendingBytes;
  private long readBytes;
  private boolean closed;
  private boolean scheduled;
  private End end;
  private BooleanSupplier mayPass = () -> false;

  /** Queues audio; true if the session now needs a decoder (the caller schedules it). */
  boolean add(byte[] pcm) {
    return append(pcm, pcm.length);
  }

  /** Queues a finalize mark; true if the session now needs a decoder. */
  boolean markFinalize() {
    return append(FINALIZE_MARK, 0);
  }

  private boolean append(byte[] item, int length) {
    lock.lock();
    try {
      if (closed) {
        return false;
      }
      chunks.add(item);
      pendingBytes += length;
      changed.signal();
      if (scheduled) {
        return false;
      }
      scheduled = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Drops everything queued; the stream ends at the reader's next call. */
  void closeQueue() {
    lock.lock();
    try {
      closed = true;
      chunks.clear();
      pendingBytes = 0;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Starts a new stream for a decoder; {@code mayPass} is asked before each read. */
  void restart(BooleanSupplier mayPass) {
    lock.lock();
    try {
      this.mayPass = mayPass;
      end = null;
    } finally {
      lock.unlock();
    }
  }

  /** The decoder lets go; true if there is more to do (the caller schedules the session again). */
  boolean release() {
    lock.lock();
    try {
      scheduled = !closed && !chunks.isEmpty();
      return scheduled;
    } finally {
      lock.unlock();
    }
  }

  boolean hasWork() {
    lock.lock();
    try {
      return !closed && !chunks.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  long pendingBytes() {
    return pendingBytes;
  }

  /** Bytes handed to the decoder since the session began. */
  long readBytes() {
    lock.lock();
    try {
      return readBytes;
    } finally {
      lock.unlock();
    }
  }

  /** Why the current stream ended, or null while it runs. */
  End end() {
    lock.lock();
    try {
      return end;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] into, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    lock.lock();
    try {
      while (true) {
        if (end != null) {
          return -1;
        }
        if (closed) {
          return endWith(End.CLOSE);
        }
        byte[] head = chunks.peek();
        if (head == FINALIZE_MARK) {
          chunks.poll();
          return endWith(End.FINALIZE);
        }
        if (mayPass.getAsBoolean()) {
          return endWith(End.PASS);
        }
        if (head != null) {
          int n = Math.min(length, head.length - headOffset);
          System.arraycopy(head, headOffset, into, offset, n);
          headOffset += n;
          if (headOffset == head.length) {
            chunks.poll();
            headOffset = 0;
          }
          readBytes += n;
          pendingBytes -= n;
          return n;
        }
        try {
          changed.awaitNanos(PASS_CHECK_NANOS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return endWith(End.CLOSE);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private int endWith(End why) {
    end = why;
    return -1;
  }

  /** The decoder's front end closes its stream at the end; the queue outlives it. */
  @Override
  public void close() {
  }
}
