package org.voicerelay.stt.protocol;

import java.util.Map;

/** One entry of {@code fallback.models}: a model the gateway may switch to, with its options. */
public record FallbackModel(String model, Map<String, Object> extra) {
}
