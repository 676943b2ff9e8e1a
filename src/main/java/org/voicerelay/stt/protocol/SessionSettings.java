package org.voicerelay.stt.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The {@code settings} of a {@code session.create} or {@code session.update}. On create,
 * {@code sample_rate} is a decimal string and {@code extra} is always present; on update only the
 * fields that change are sent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionSettings(
    String sampleRate,
    String encoding,
    String model,
    String language,
    Map<String, Object> extra) {
}
