package org.voicerelay.stt.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.vertx.core.Vertx;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.tracing.opentelemetry.Operation;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.voicerelay.stt.internal.VertxInternals;

/**
 * A span started by Vert.x's OpenTelemetry tracer (its SPI: {@code receiveRequest} for a session,
 * whose parent comes from the open's headers, {@code sendRequest} for the others, whose parent is
 * made the tracer's active context first), then given events and attributes through the
 * OpenTelemetry {@link Span} the tracer returns: the SPI's tags are fixed at the start and it has
 * no events. Each span starts on a fresh duplicate of the Vert.x context, so starting one never
 * changes the active span of the code that asked.
 */
final class OtelSpan implements TraceSpan {

  private static final BiConsumer<String, String> NO_HEADERS = (key, value) -> { };

  private final Vertx vertx;
  private final VertxTracer<Object, Object> tracer;
  private final Span span;

  private OtelSpan(Vertx vertx, VertxTracer<Object, Object> tracer, Span span) {
    this.vertx = vertx;
    this.tracer = tracer;
    this.span = span;
  }

  static TraceSpan received(Vertx vertx, VertxTracer<?, ?> anyTracer, String name,
      Iterable<Map.Entry<String, String>> headers) {
    VertxTracer<Object, Object> tracer = cast(anyTracer);
    Iterable<Map.Entry<String, String>> carrier = headers == null ? List.of() : headers;
    Span span = VertxInternals.onFreshContext(vertx, context -> {
      Operation operation = (Operation) tracer.receiveRequest(context, SpanKind.RPC, TracingPolicy.ALWAYS, name, name,
          carrier, TagExtractor.empty());
      operation.scope().close();
      return operation.span();
    });
    return new OtelSpan(vertx, tracer, span);
  }

  static TraceSpan underCurrent(Vertx vertx, VertxTracer<?, ?> tracer, String name) {
    return start(vertx, cast(tracer), Context.current(), name);
  }

  private static TraceSpan start(Vertx vertx, VertxTracer<Object, Object> tracer, Context parent, String name) {
    Span span = VertxInternals.onFreshContext(vertx, context -> {
      try (Scope active = parent.makeCurrent()) {
        return ((Operation) tracer.sendRequest(context, SpanKind.RPC, TracingPolicy.ALWAYS, name, name, NO_HEADERS,
            TagExtractor.empty())).span();
      }
    });
    return new OtelSpan(vertx, tracer, span);
  }

  @SuppressWarnings("unchecked")
  private static VertxTracer<Object, Object> cast(VertxTracer<?, ?> tracer) {
    return (VertxTracer<Object, Object>) tracer;
  }

  @Override
  public boolean recording() {
    return true;
  }

  @Override
  public TraceSpan set(String key, Object value) {
    if (value instanceof String s) {
      span.setAttribute(key, s);
    } else if (value instanceof Double || value instanceof Float) {
      span.setAttribute(key, ((Number) value).doubleValue());
    } else if (value instanceof Number n) {
      span.setAttribute(key, n.longValue());
    } else if (value instanceof Boolean b) {
      span.setAttribute(key, b);
    } else if (value != null) {
      span.setAttribute(key, value.toString());
    }
    return this;
  }

  @Override
  public void event(String name) {
    span.addEvent(name);
  }

  @Override
  public void event(String name, String key, Object value) {
    AttributesBuilder attributes = Attributes.builder();
    put(attributes, key, value);
    span.addEvent(name, attributes.build());
  }

  @Override
  public void event(String name, String key1, Object value1, String key2, Object value2) {
    AttributesBuilder attributes = Attributes.builder();
    put(attributes, key1, value1);
    put(attributes, key2, value2);
    span.addEvent(name, attributes.build());
  }

  private static void put(AttributesBuilder attributes, String key, Object value) {
    if (value instanceof String s) {
      attributes.put(key, s);
    } else if (value instanceof Double || value instanceof Float) {
      attributes.put(key, ((Number) value).doubleValue());
    } else if (value instanceof Number n) {
      attributes.put(key, n.longValue());
    } else if (value instanceof Boolean b) {
      attributes.put(key, b);
    } else if (value != null) {
      attributes.put(key, value.toString());
    }
  }

  @Override
  public void failed(String code, String message) {
    span.setAttribute("error.type", code);
    span.setStatus(StatusCode.ERROR, message == null ? code : message);
  }

  @Override
  public TraceSpan child(String name) {
    return start(vertx, tracer, Context.root().with(span), name);
  }

  @Override
  public <T> T asParentOf(Supplier<T> creation) {
    try (Scope active = Context.current().with(span).makeCurrent()) {
      return creation.get();
    }
  }

  @Override
  public void end() {
    span.end();
  }
}
