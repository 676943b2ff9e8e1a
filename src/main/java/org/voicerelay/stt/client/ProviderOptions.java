package org.voicerelay.stt.client;

import io.vertx.core.json.JsonObject;

/**
 * Typed provider options of one {@link ModelFamily}, sent as the session's {@code settings.extra}.
 * The JSON form uses the provider's own option names (snake_case), exactly as LiveKit puts them on
 * the wire; unset options are left out, so the gateway's defaults apply. Java callers get types;
 * event-bus callers send the same names as JSON {@code extra}.
 */
public abstract class ProviderOptions {

  protected ProviderOptions() {
  }

  /** The family of models these options are for. */
  public abstract ModelFamily family();

  /** The options as {@code settings.extra}: only the options that are set. */
  public abstract JsonObject toJson();

  /** {@code value} if null or within {@code [min, max]}; else refused, naming the option. */
  protected static <N extends Number> N inRange(String option, N value, double min, double max) {
    if (value != null && (value.doubleValue() < min || value.doubleValue() > max)) {
      throw new IllegalArgumentException(option + " must be in [" + min + ", " + max + "], got " + value);
    }
    return value;
  }

  /** {@code value} if null or at least {@code min}; else refused, naming the option. */
  protected static <N extends Number> N atLeast(String option, N value, double min) {
    if (value != null && value.doubleValue() < min) {
      throw new IllegalArgumentException(option + " must be >= " + min + ", got " + value);
    }
    return value;
  }

  /** {@code value} if null or one of {@code allowed} (LiveKit's {@code Literal}); else refused, naming the option. */
  protected static String oneOf(String option, String value, String... allowed) {
    if (value != null && !java.util.List.of(allowed).contains(value)) {
      throw new IllegalArgumentException(option + " must be one of " + String.join(", ", allowed) + ", got " + value);
    }
    return value;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + toJson().encode();
  }
}
