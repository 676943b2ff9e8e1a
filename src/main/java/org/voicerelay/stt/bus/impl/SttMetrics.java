package org.voicerelay.stt.bus.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import org.voicerelay.stt.bus.BusErrorCode;

/**
 * The node's meters, all named {@code stt.*} (Prometheus: {@code stt_*}): one per {@link SttNode},
 * shared by every instance of the verticle, so the numbers are per node. Disabled, they record into
 * an empty composite registry, which ignores everything.
 */
public final class SttMetrics {

  public static final String SESSIONS_OPEN = "stt.sessions.open";
  public static final String SESSIONS_OPENED = "stt.sessions.opened";
  public static final String SESSIONS_CLOSED = "stt.sessions.closed";
  public static final String AUDIO_RECEIVED = "stt.audio.received";
  static final String AUDIO_SENT = "stt.audio.sent";
  public static final String FRAMES_SENT = "stt.frames.sent";
  public static final String TRANSCRIPTS = "stt.transcripts";
  static final String RECONNECTS = "stt.reconnects";
  public static final String ERRORS = "stt.errors";
  public static final String FINAL_LATENCY = "stt.final.latency";
  public static final String NODE_SATURATED = "stt.node.saturated";
  static final String NODE_EVENT_LOOP_LAG = "stt.node.event.loop.lag";
  static final String NODE_AUDIO_BUFFERED = "stt.node.audio.buffered";
  static final String NODE_AUDIO_REPLAY = "stt.node.audio.replay";
  static final String NODE_AUDIO_RESERVED = "stt.node.audio.reserved";
  static final String NODE_AUDIO_BUDGET = "stt.node.audio.budget";
  public static final String OPENS_REFUSED = "stt.opens.refused";

  private final MeterRegistry registry;
  private final Counter opened;
  private final Counter audioReceived;
  private final Counter audioSent;
  private final Counter framesSent;
  private final Counter reconnects;
  private final Timer finalLatency;

  SttMetrics(MeterRegistry registry, AdmissionControl admission) {
    this.registry = registry;
    Gauge.builder(SESSIONS_OPEN, admission, AdmissionControl::admittedSessions).strongReference(true)
        .description("Sessions live on this node").register(registry);
    this.opened = Counter.builder(SESSIONS_OPENED).description("Sessions opened").register(registry);
    this.audioReceived = Counter.builder(AUDIO_RECEIVED).baseUnit("seconds")
        .description("Seconds of audio received from the event bus").register(registry);
    this.audioSent = Counter.builder(AUDIO_SENT).baseUnit("seconds")
        .description("Seconds of audio sent to the gateway").register(registry);
    this.framesSent = Counter.builder(FRAMES_SENT)
        .description("50 ms audio frames sent to the gateway").register(registry);
    this.reconnects = Counter.builder(RECONNECTS)
        .description("Gateway reconnections scheduled").register(registry);
    this.finalLatency = Timer.builder(FINAL_LATENCY)
        .description("From flush or end of audio to the next final transcript")
        .publishPercentiles(0.5, 0.95, 0.99)
        .publishPercentileHistogram() // buckets: a dashboard's histogram_quantile over all nodes
        .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    nodeLoad(admission);
    for (AdmissionControl.Cause cause : AdmissionControl.Cause.values()) {
      if (cause != AdmissionControl.Cause.MAX_SESSIONS) { // answered 429, counted as an error
        openRefused(cause.wireName, 0); // at 0 from the start, so a dashboard finds every cause
      }
    }
  }

  static SttMetrics disabled(AdmissionControl admission) {
    return new SttMetrics(new CompositeMeterRegistry(), admission);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The node's saturation, lag and audio bytes. */
  private void nodeLoad(AdmissionControl admission) {
    Gauge.builder(NODE_SATURATED, admission, a -> a.saturated() ? 1 : 0).strongReference(true)
        .description("1 while the node takes no opens (admission control)").register(registry);
    Gauge.builder(NODE_EVENT_LOOP_LAG, admission, AdmissionControl::lagMs).strongReference(true).baseUnit("milliseconds")
        .description("Smoothed lateness of a 100 ms timer on the event loops (the worst instance)").register(registry);
    Gauge.builder(NODE_AUDIO_BUFFERED, admission, AdmissionControl::bufferedBytes).strongReference(true).baseUnit("bytes")
        .description("Audio the node's sessions buffer toward the gateway").register(registry);
    Gauge.builder(NODE_AUDIO_REPLAY, admission, AdmissionControl::replayBytes).strongReference(true).baseUnit("bytes")
        .description("Audio the node's sessions sent and keep for a replay until a final covers it").register(registry);
    Gauge.builder(NODE_AUDIO_RESERVED, admission, AdmissionControl::reservedBytes).strongReference(true).baseUnit("bytes")
        .description("The admitted sessions' worst-case buffered and replay audio").register(registry);
    Gauge.builder(NODE_AUDIO_BUDGET, admission, AdmissionControl::budgetBytes).strongReference(true).baseUnit("bytes")
        .description("The node audio budget (nodeAudioBudgetBytes)").register(registry);
  }

  /** An open refused with 503 overloaded; {@code cause} is event_loop_lag, buffered_audio, replay_audio, audio_budget or admission_rate. */
  void openRefused(String cause) {
    openRefused(cause, 1);
  }

  private void openRefused(String cause, int count) {
    registry.counter(OPENS_REFUSED, "cause", cause).increment(count);
  }

  void sessionOpened() {
    opened.increment();
  }

  void sessionClosed(String reason) {
    registry.counter(SESSIONS_CLOSED, "reason", reason).increment();
  }

  void audioReceived(double seconds) {
    audioReceived.increment(seconds);
  }

  void audioSent(double seconds, long frames) {
    audioSent.increment(seconds);
    framesSent.increment(frames);
  }

  void transcript(String type) {
    registry.counter(TRANSCRIPTS, "type", type).increment();
  }

  void reconnect() {
    reconnects.increment();
  }

  /** {@code code} is a {@link BusErrorCode#name(int)} or a client error code (e.g. {@code connection_failed}). */
  public void error(String code) {
    registry.counter(ERRORS, "code", code).increment();
  }

  void finalLatency(long nanos) {
    finalLatency.record(Duration.ofNanos(nanos));
  }
}
