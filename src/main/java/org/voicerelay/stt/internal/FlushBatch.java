package org.voicerelay.stt.internal;

/** Writes to one socket whose flushes become one system call ({@link VertxInternals#coalesceFlushes}). */
@FunctionalInterface
public interface FlushBatch {

  /** For a socket that cannot batch: the writes run as they are, each flushed by Vert.x. */
  FlushBatch NONE = Runnable::run;

  /** Runs {@code writes}; when called on the socket's event loop, their flushes happen once, at the end. */
  void batch(Runnable writes);
}
