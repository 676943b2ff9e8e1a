package org.voicerelay.stt.protocol;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Resolves the gateway base URL and builds the WebSocket URL of the STT endpoint. */
public final class GatewayUrl {

  public static final String DEFAULT_BASE_URL = "https://agent-gateway.livekit.cloud/v1";
  public static final String STAGING_BASE_URL = "https://agent-gateway.staging.livekit.cloud/v1";

  private GatewayUrl() {
  }

  /** The option if given, else {@code LIVEKIT_INFERENCE_URL}, else the (staging) cloud gateway. */
  public static String resolveBase(String option, Map<String, String> env) {
    if (option != null && !option.isBlank()) {
      return option;
    }
    String fromEnv = env.get("LIVEKIT_INFERENCE_URL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    String livekitUrl = env.getOrDefault("LIVEKIT_URL", "");
    return livekitUrl.contains(".staging.livekit.cloud") ? STAGING_BASE_URL : DEFAULT_BASE_URL;
  }

  /** {@code ws(s)://.../stt?model=...}; {@code http(s)} becomes {@code ws(s)}. */
  public static URI sttEndpoint(String base, String model) {
    String ws = base;
    if (ws.startsWith("http://") || ws.startsWith("https://")) {
      ws = "ws" + ws.substring(4);
    }
    while (ws.endsWith("/")) {
      ws = ws.substring(0, ws.length() - 1);
    }
    String query = "?model=" + URLEncoder.encode(model == null ? "auto" : model, StandardCharsets.UTF_8);
    URI uri = URI.create(ws + "/stt" + query);
    if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
      throw new IllegalArgumentException("baseUrl must be http(s):// or ws(s)://, got scheme "
          + uri.getScheme());
    }
    return uri;
  }
}
