package org.voicerelay.stt.gateway.engine;

import java.util.Map;

/**
 * What a session asked for: its model and language (engines may ignore them) and the provider
 * options of {@code settings.extra}.
 */
public record RecognitionRequest(String model, String language, Map<String, Object> extra) {
}
