package org.voicerelay.stt.client.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The audio a stream sends again after a reconnect (the replay of what no final had covered), in
 * the Micrometer counter {@value #METER} (bytes at the session rate, no tags) of Vert.x's default
 * registry when there is one. What a reconnect costs the gateway and the stream's bandwidth, where
 * {@code stt.reconnects} only counts them.
 */
final class ReplayedAudio {

  static final String METER = "stt.client.audio.replayed";

  private final Counter counter;

  private ReplayedAudio(Counter counter) {
    this.counter = counter;
  }

  /** Counted in Vert.x's default registry when there is one. */
  static ReplayedAudio create() {
    try {
      return in(BackendRegistries.getDefaultNow());
    } catch (LinkageError noMicrometer) {
      return new ReplayedAudio(null);
    }
  }

  static ReplayedAudio in(MeterRegistry registry) {
    return new ReplayedAudio(registry == null ? null : Counter.builder(METER).baseUnit("bytes")
        .description("Audio sent again to a gateway after a reconnect (the replay buffer)").register(registry));
  }

  void replayed(long bytes) {
    if (counter != null && bytes > 0) {
      counter.increment(bytes);
    }
  }
}
