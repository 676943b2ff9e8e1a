package org.voicerelay.stt.testing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Vert.x with OpenTelemetry tracing on, the way docs/operations.md ("Tracing") turns it on,
 * whose finished spans are kept in memory ({@link InMemorySpanExporter}) for the test to read.
 */
public final class TracedVertx {

  public final InMemorySpanExporter spans = InMemorySpanExporter.create();
  public final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
  public final Vertx vertx = Vertx.builder().with(options()).withTracer(tracerFactory()).build();

  /** Vert.x options that turn tracing on (with {@link #tracerFactory()}). */
  public static VertxOptions options() {
    return new VertxOptions().setTracingOptions(new OpenTelemetryOptions());
  }

  /** The tracer factory of Vert.x's OpenTelemetry tracing, over this SDK. */
  public OpenTelemetryTracingFactory tracerFactory() {
    return new OpenTelemetryTracingFactory(openTelemetry);
  }

  /** The finished spans called {@code name}, in the order they ended. */
  public List<SpanData> named(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> name.equals(s.getName())).toList();
  }

  /** The finished span with this id. */
  public Optional<SpanData> byId(String spanId) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getSpanId().equals(spanId)).findFirst();
  }

  /** Whether {@code ancestor} is {@code span}'s parent, or its parent's, and so on. */
  public boolean descends(SpanData span, SpanData ancestor) {
    Optional<SpanData> at = Optional.of(span);
    while (at.isPresent()) {
      String parent = at.get().getParentSpanId();
      if (parent.equals(ancestor.getSpanId())) {
        return true;
      }
      at = byId(parent);
    }
    return false;
  }

  /** Every attribute value and event attribute value of every finished span, as text. */
  public List<String> everyValue() {
    List<String> values = new ArrayList<>();
    for (SpanData span : spans.getFinishedSpanItems()) {
      values.add(span.getName());
      span.getAttributes().forEach((AttributeKey<?> key, Object value) -> values.add(key.getKey() + "=" + value));
      for (EventData event : span.getEvents()) {
        values.add(event.getName());
        event.getAttributes().forEach((AttributeKey<?> key, Object value) -> values.add(key.getKey() + "=" + value));
      }
      values.add(span.getStatus().getDescription());
    }
    return values;
  }

  /** The events of {@code span} called {@code name}, each as its attributes. */
  public static List<Map<String, Object>> events(SpanData span, String name) {
    List<Map<String, Object>> found = new ArrayList<>();
    for (EventData event : span.getEvents()) {
      if (name.equals(event.getName())) {
        Map<String, Object> attributes = new java.util.HashMap<>();
        event.getAttributes().forEach((AttributeKey<?> key, Object value) -> attributes.put(key.getKey(), value));
        found.add(attributes);
      }
    }
    return found;
  }

  public Future<Void> close() {
    return vertx.close().onComplete(ar -> openTelemetry.close());
  }
}
