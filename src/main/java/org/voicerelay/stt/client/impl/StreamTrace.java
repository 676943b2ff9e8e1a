package org.voicerelay.stt.client.impl;

import io.vertx.core.Vertx;
import java.util.function.DoubleSupplier;
import org.voicerelay.stt.client.StreamPhase;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.tracing.TraceSpan;
import org.voicerelay.stt.tracing.Tracing;

/**
 * The spans of one stream (docs/operations.md, "Tracing"): {@code stt.stream} for its life, under
 * the span current when it was created; a {@code stt.connection} under it per attempt at a gateway
 * connection; and as events, read off the phases the stream enters, what someone reading a trace
 * wants to see: a drop and its reason (the liveness verdict {@code liveness.silent} among them), the
 * reconnect, the replay, the breaker parking and releasing the stream. With tracing off both spans
 * are {@link TraceSpan#NONE} and each call returns at once. Confined to the stream's context.
 */
final class StreamTrace {

  static final StreamTrace OFF = new StreamTrace(TraceSpan.NONE, () -> 0);

  private final TraceSpan stream;
  private final DoubleSupplier audioSeconds;
  private TraceSpan connection = TraceSpan.NONE;
  private StreamPhase phase = StreamPhase.CONNECTING;
  private int attempts;
  private int reconnects;

  private StreamTrace(TraceSpan stream, DoubleSupplier audioSeconds) {
    this.stream = stream;
    this.audioSeconds = audioSeconds;
  }

  /** A stream's trace; its first connection attempt begins now. */
  static StreamTrace start(Vertx vertx, String streamId, SttOptions options, DoubleSupplier audioSeconds) {
    TraceSpan stream = Tracing.underCurrent(vertx, Tracing.STREAM);
    if (!stream.recording()) {
      return OFF;
    }
    stream.set(Tracing.STREAM_ID, streamId).set(Tracing.MODEL, options.getModel())
        .set(Tracing.PROVIDER, Tracing.provider(options.getModel())).set(Tracing.LANGUAGE, options.getLanguage())
        .set(Tracing.SAMPLE_RATE, options.getSampleRate());
    StreamTrace trace = new StreamTrace(stream, audioSeconds);
    trace.startConnection();
    return trace;
  }

  /** The stream's span: a turn's parent. */
  TraceSpan span() {
    return stream;
  }

  /** The stream entered {@code next} ({@code cause}: the failure that led there, if any). */
  void entered(StreamPhase next, SttException cause) {
    if (!stream.recording()) {
      return;
    }
    StreamPhase previous = phase;
    phase = next;
    switch (next) {
      case CONNECTING -> {
        if (previous == StreamPhase.PARKED) {
          stream.event("breaker.released");
        }
        startConnection();
      }
      case PARKED -> {
        stream.event("breaker.parked", Tracing.REASON, "the gateway's circuit breaker is open");
        connection.set(Tracing.REASON, "parked by the circuit breaker");
        endConnection();
      }
      case CONNECTED -> connection.event("connected");
      case BACKING_OFF -> dropped(cause);
      case CLOSED -> closed(cause);
      default -> stream.event("finishing", "stt.phase", next.name().toLowerCase());
    }
  }

  /** The connection is open: {@code sessionId} is its gateway session; audio from {@code fromSeconds} is sent again. */
  void connected(String sessionId, double fromSeconds, double sentSeconds) {
    if (!stream.recording()) {
      return;
    }
    connection.set("stt.gateway.session_id", sessionId);
    if (sentSeconds > fromSeconds) {
      connection.event("replay", "stt.replay.from_seconds", fromSeconds, "stt.replay.seconds",
          sentSeconds - fromSeconds);
    }
  }

  private void startConnection() {
    endConnection();
    connection = stream.child(Tracing.CONNECTION).set("stt.attempt", ++attempts);
  }

  private void endConnection() {
    connection.end();
    connection = TraceSpan.NONE;
  }

  private void dropped(SttException cause) {
    String code = cause == null ? "unknown" : cause.code().wireName();
    String reason = cause == null ? null : cause.getMessage();
    if (cause != null && cause.code() == SttErrorCode.GATEWAY_SILENT) {
      connection.event("liveness.silent", Tracing.REASON, reason);
    }
    connection.event("connection.dropped", "error.type", code, Tracing.REASON, reason);
    connection.failed(code, reason);
    endConnection();
    stream.event("reconnecting", "stt.reconnect", ++reconnects, Tracing.REASON, code + ": " + reason);
  }

  private void closed(SttException cause) {
    if (cause != null) {
      connection.failed(cause.code().wireName(), cause.getMessage());
      stream.failed(cause.code().wireName(), cause.getMessage());
    }
    endConnection();
    stream.set("stt.reconnects", reconnects).set(Tracing.AUDIO_SECONDS, audioSeconds.getAsDouble());
    stream.end();
  }
}
