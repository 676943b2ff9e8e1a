package org.voicerelay.stt.gateway.sphinx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lends a fixed set of decoders, each on a daemon thread of its own, to sessions in the order they
 * ask. A session keeps its decoder until it runs out of audio or, while others wait, reaches a
 * pause in speech; so more sessions than decoders share them instead of being refused.
 */
final class DecoderPool {

  private static final Logger LOG = LoggerFactory.getLogger(DecoderPool.class);

  private final LinkedBlockingQueue<SphinxRecognition> waiting = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  DecoderPool(List<SphinxDecoder> decoders) {
    for (int i = 0; i < decoders.size(); i++) {
      SphinxDecoder decoder = decoders.get(i);
      Thread thread = new Thread(() -> run(decoder), "sphinx4-decoder-" + i);
      thread.setDaemon(true);
      threads.add(thread);
    }
    threads.forEach(Thread::start);
  }

  void schedule(SphinxRecognition recognition) {
    waiting.add(recognition);
    if (closed && waiting.remove(recognition)) {
      recognition.fail(new IllegalStateException("the sphinx4 engine is closed"));
    }
  }

  boolean hasWaiting() {
    return !waiting.isEmpty();
  }

  int size() {
    return threads.size();
  }

  /** Stops the threads; sessions still open or waiting get an error. Returns at once. */
  void close() {
    closed = true;
    threads.forEach(Thread::interrupt);
    SphinxRecognition recognition;
    while ((recognition = waiting.poll()) != null) {
      recognition.fail(new IllegalStateException("the sphinx4 engine is closed"));
    }
  }

  private void run(SphinxDecoder decoder) {
    try {
      while (!closed) {
        waiting.take().serve(decoder);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        decoder.deallocate();
      } catch (RuntimeException e) {
        LOG.warn("sphinx4 decoder did not deallocate cleanly", e);
      }
    }
  }
}
