package org.voicerelay.stt.tracing;

import io.vertx.core.Vertx;
import io.vertx.core.spi.tracing.VertxTracer;
import java.util.Map;
import org.voicerelay.stt.internal.VertxInternals;

/**
 * Where the library's spans begin: {@link TraceSpan#NONE} unless the application gave Vert.x
 * OpenTelemetry tracing ({@code OpenTelemetryTracingFactory} and {@code OpenTelemetryOptions};
 * docs/operations.md, "Tracing"), so that with tracing off no span object exists. The names and
 * attribute keys below are the ones docs/operations.md describes.
 */
public final class Tracing {

  public static final String SESSION = "stt.session";
  public static final String STREAM = "stt.stream";
  public static final String CONNECTION = "stt.connection";
  public static final String TURN = "stt.turn";

  public static final String SESSION_ID = "stt.session.id";
  public static final String STREAM_ID = "stt.stream.id";
  public static final String NODE = "stt.node";
  public static final String MODEL = "stt.model";
  public static final String PROVIDER = "stt.provider";
  public static final String LANGUAGE = "stt.language";
  public static final String SAMPLE_RATE = "stt.sample_rate";
  public static final String AUDIO_SECONDS = "stt.audio_seconds";
  public static final String REASON = "stt.reason";
  /** LiveKit's name: seconds from the first send of a turn's last audio to its final transcript. */
  public static final String TRANSCRIPTION_DELAY = "lk.transcription_delay";
  /** The final transcript's text, only when {@code SttOptions.setTraceTranscripts(true)}. */
  public static final String TRANSCRIPT = "stt.pii.transcript";

  private static final String OPEN_TELEMETRY_TRACER = "io.vertx.tracing.opentelemetry.OpenTelemetryTracer";

  private Tracing() {
  }

  /**
   * The span of a bus session, under the span that sent its open when the open's headers carry
   * one (Vert.x's event-bus tracing puts it there).
   */
  public static TraceSpan session(Vertx vertx, Iterable<Map.Entry<String, String>> openHeaders) {
    VertxTracer<?, ?> tracer = openTelemetryTracer(vertx);
    return tracer == null ? TraceSpan.NONE : OtelSpan.received(vertx, tracer, SESSION, openHeaders);
  }

  /**
   * A span under the current one (the application's, or a session's made current by {@link
   * TraceSpan#asParentOf}), or a root span when there is none.
   */
  public static TraceSpan underCurrent(Vertx vertx, String name) {
    VertxTracer<?, ?> tracer = openTelemetryTracer(vertx);
    return tracer == null ? TraceSpan.NONE : OtelSpan.underCurrent(vertx, tracer, name);
  }

  /** The provider of a model name ({@code deepgram/nova-3}: {@code deepgram}), else null. */
  public static String provider(String model) {
    int slash = model == null ? -1 : model.indexOf('/');
    return slash > 0 ? model.substring(0, slash) : null;
  }

  /** Vert.x's tracer when it is OpenTelemetry's; null when tracing is off (or another tracer's). */
  private static VertxTracer<?, ?> openTelemetryTracer(Vertx vertx) {
    VertxTracer<?, ?> tracer = VertxInternals.tracer(vertx);
    return tracer != null && OPEN_TELEMETRY_TRACER.equals(tracer.getClass().getName()) ? tracer : null;
  }
}
