package org.voicerelay.stt.protocol;

/**
 * A model string as users write it: {@code provider/model}, optionally with a language after the
 * last colon ({@code deepgram/nova-3:en}). {@code auto} or an empty string mean "let the gateway
 * choose" and are not sent.
 */
public record ModelName(String model, String language) {

  public static final String AUTO = "auto";

  public static ModelName parse(String value) {
    if (value == null || value.isBlank()) {
      return new ModelName(null, null);
    }
    int colon = value.lastIndexOf(':');
    if (colon > 0 && colon < value.length() - 1) {
      return new ModelName(value.substring(0, colon), value.substring(colon + 1));
    }
    return new ModelName(value, null);
  }

  /** The model to put on the wire, or null for the gateway's choice. */
  public String wireModel() {
    return model == null || AUTO.equals(model) ? null : model;
  }
}
