package org.voicerelay.stt.tracing;

import java.util.function.Supplier;

/**
 * One span, or {@link #NONE} when tracing is off: the session and stream code calls these without
 * knowing whether anything records them, and without OpenTelemetry types (an optional
 * dependency). Event and attribute values are strings, numbers or booleans; null values are left
 * out. Used on the context of what it traces.
 */
public interface TraceSpan {

  /** The span of everything when tracing is off: one shared instance that records nothing. */
  TraceSpan NONE = NoSpan.INSTANCE;

  /** Whether this span records (false for {@link #NONE}): worth asking before building values. */
  boolean recording();

  TraceSpan set(String key, Object value);

  void event(String name);

  void event(String name, String key, Object value);

  void event(String name, String key1, Object value1, String key2, Object value2);

  /** The span ends in error: {@code code} as {@code error.type}, {@code message} as the status. */
  void failed(String code, String message);

  /** A span under this one, started now. */
  TraceSpan child(String name);

  /**
   * Runs {@code creation} with this span as the current one, so that spans begun inside it (a
   * stream's, an event-bus send's) are its children; its result.
   */
  <T> T asParentOf(Supplier<T> creation);

  void end();

  /** The recorder of nothing. */
  enum NoSpan implements TraceSpan {
    INSTANCE;

    @Override
    public boolean recording() {
      return false;
    }

    @Override
    public TraceSpan set(String key, Object value) {
      return this;
    }

    @Override
    public void event(String name) {
    }

    @Override
    public void event(String name, String key, Object value) {
    }

    @Override
    public void event(String name, String key1, Object value1, String key2, Object value2) {
    }

    @Override
    public void failed(String code, String message) {
    }

    @Override
    public TraceSpan child(String name) {
      return this;
    }

    @Override
    public <T> T asParentOf(Supplier<T> creation) {
      return creation.get();
    }

    @Override
    public void end() {
    }
  }
}
