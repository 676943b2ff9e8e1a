package org.voicerelay.stt.client.impl;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.protocol.FallbackModel;
import org.voicerelay.stt.protocol.ModelName;
import org.voicerelay.stt.protocol.ProtocolCodec;
import org.voicerelay.stt.protocol.SessionCreate;
import org.voicerelay.stt.protocol.SessionSettings;
import org.voicerelay.stt.protocol.SessionUpdate;

/** The session control frames a stream sends, built from its options. */
final class SessionMessages {

  private SessionMessages() {
  }

  static String create(SttOptions options) {
    SessionSettings settings = new SessionSettings(String.valueOf(options.getSampleRate()),
        options.getEncoding(), null, options.getLanguage(), options.getExtra().getMap());
    SessionCreate.Fallback fallback = null;
    if (!options.getFallback().isEmpty()) {
      fallback = new SessionCreate.Fallback(options.getFallback().stream()
          .map(f -> new FallbackModel(ModelName.parse(f.model()).model(), f.extra()))
          .toList());
    }
    return ProtocolCodec.encode(new SessionCreate(ModelName.parse(options.getModel()).wireModel(),
        settings, fallback, new SessionCreate.Connection(options.getConnectOptions().getTimeoutMs() / 1000.0,
            options.getConnectOptions().getMaxRetry())));
  }

  /**
   * A live update: each of model, language and extra when given. A language suffix on the model
   * ({@code deepgram/nova-3:es}) is the language to switch to unless {@code language} is given.
   */
  static String update(String model, String language, JsonObject extra) {
    ModelName parsed = ModelName.parse(model);
    String wireLanguage = language != null ? language : parsed.language();
    Map<String, Object> extraMap = extra == null ? null : extra.getMap();
    return ProtocolCodec.encode(new SessionUpdate(
        new SessionSettings(null, null, model == null ? null : parsed.model(), wireLanguage, extraMap)));
  }
}
