package org.voicerelay.stt.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.voicerelay.stt.audio.AudioFormat;
import org.voicerelay.stt.protocol.ModelName;
import org.voicerelay.stt.protocol.ProtocolCodec;

/**
 * The settings of a {@code session.create}, checked: what the client asked for, or the error the
 * gateway answers with. The field readers serve {@code session.update} too. Pure: no socket, no
 * engine.
 */
record ClientSettings(ModelName model, String language, int sampleRate, Map<String, Object> extra) {

  static final int DEFAULT_SAMPLE_RATE = 16_000;

  /** A client message the gateway refuses: the error code and the message to answer with. */
  static final class Refusal extends Exception {
    final int code;

    Refusal(int code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }

  static ClientSettings ofCreate(JsonNode frame, String defaultModel, String defaultLanguage) throws Refusal {
    JsonNode settings = frame.path("settings");
    if (!settings.isMissingNode() && !settings.isObject()) {
      throw new Refusal(GatewayErrorCode.INVALID_MESSAGE, "session.create \"settings\" must be an object");
    }
    String encoding = text(settings, "encoding", AudioFormat.ENCODING);
    if (!AudioFormat.ENCODING.equals(encoding)) {
      throw new Refusal(GatewayErrorCode.UNSUPPORTED_ENCODING,
          "unsupported encoding " + abbreviate(encoding) + "; only " + AudioFormat.ENCODING + " is supported");
    }
    int sampleRate = sampleRate(settings.get("sample_rate"));
    if (sampleRate < 0) {
      throw new Refusal(GatewayErrorCode.UNSUPPORTED_SAMPLE_RATE, "sample_rate must be a whole number of Hz in ["
          + AudioFormat.MIN_SAMPLE_RATE + ", " + AudioFormat.MAX_SAMPLE_RATE + "], got "
          + abbreviate(settings.path("sample_rate").asText()));
    }
    Map<String, Object> extra = extra(settings);
    ModelName model = ModelName.parse(text(frame, "model", defaultModel));
    String language = text(settings, "language", model.language() == null ? defaultLanguage : model.language());
    return new ClientSettings(model, language, sampleRate, extra == null ? Map.of() : extra);
  }

  /** The {@code extra} object of settings, or null when absent. */
  static Map<String, Object> extra(JsonNode settings) throws Refusal {
    JsonNode extra = settings.path("extra");
    if (extra.isMissingNode() || extra.isNull()) {
      return null;
    }
    if (!extra.isObject()) {
      throw new Refusal(GatewayErrorCode.INVALID_MESSAGE, "settings \"extra\" must be an object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> map = ProtocolCodec.mapper().convertValue(extra, Map.class);
    return map;
  }

  /** The rate in Hz, or -1 if it is not a whole number in range; absent means the default. */
  static int sampleRate(JsonNode value) {
    if (value == null || value.isNull()) {
      return DEFAULT_SAMPLE_RATE;
    }
    int rate;
    if (value.isTextual()) {
      try {
        rate = Integer.parseInt(value.asText().trim());
      } catch (NumberFormatException e) {
        return -1;
      }
    } else if (value.isIntegralNumber() && value.canConvertToInt()) {
      rate = value.asInt();
    } else {
      return -1;
    }
    return AudioFormat.isSupportedSampleRate(rate) ? rate : -1;
  }

  static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : fallback;
  }

  static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
