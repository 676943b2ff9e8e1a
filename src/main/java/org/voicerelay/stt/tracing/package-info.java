/**
 * The library's OpenTelemetry spans ({@code stt.session}, {@code stt.stream},
 * {@code stt.connection}, {@code stt.turn}; docs/operations.md, "Tracing"), recorded through the
 * tracer of Vert.x's tracing SPI when the application gave Vert.x OpenTelemetry tracing, and
 * nothing at all otherwise. Not API: the session and stream code calls {@link
 * org.voicerelay.stt.tracing.Tracing} and {@link org.voicerelay.stt.tracing.TraceSpan}; only
 * {@code OtelSpan} touches OpenTelemetry classes, so without them on the class path nothing here
 * loads them.
 */
package org.voicerelay.stt.tracing;
