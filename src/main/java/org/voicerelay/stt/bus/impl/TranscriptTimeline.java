package org.voicerelay.stt.bus.impl;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.ResumableSession;

/**
 * One transcript across the sessions of a {@link ResumableSession}: events are numbered on, and
 * the times of a later session are shifted by the audio that was final before it started, so the
 * handler sees one time line. On the session's context.
 */
final class TranscriptTimeline {

  private static final Logger LOG = LoggerFactory.getLogger(TranscriptTimeline.class);

  private final int bytesPerSecond;
  private Handler<JsonObject> handler = e -> { };
  private long baseBytes;
  private long seq;

  TranscriptTimeline(int sampleRate) {
    this.bytesPerSecond = sampleRate * 2;
  }

  void handler(Handler<JsonObject> handler) {
    this.handler = handler == null ? e -> { } : handler;
  }

  /** A new session starts at {@code baseBytes} of the transcription's audio. */
  void restartAt(long baseBytes) {
    this.baseBytes = baseBytes;
  }

  /** Where the current session starts, in seconds of the transcription's audio. */
  double baseSeconds() {
    return baseBytes / (double) bytesPerSecond;
  }

  /** The transcription's audio byte at {@code seconds} of the current session's audio. */
  long bytesAt(double seconds) {
    return baseBytes + Math.round(seconds * bytesPerSecond);
  }

  /** Numbers and shifts {@code event}, then hands it to the handler; the event as delivered. */
  JsonObject deliver(JsonObject event) {
    JsonObject out = event.copy().put("seq", ++seq);
    TranscriptTimes.shift(out, baseSeconds());
    try {
      handler.handle(out);
    } catch (RuntimeException e) {
      LOG.warn("the event handler failed", e);
    }
    return out;
  }
}
