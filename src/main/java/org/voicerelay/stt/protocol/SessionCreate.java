package org.voicerelay.stt.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The first frame on a new connection. {@code model} is omitted for {@code auto}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionCreate(
    String model,
    SessionSettings settings,
    Fallback fallback,
    Connection connection) {

  @JsonProperty("type")
  public String type() {
    return MessageType.SESSION_CREATE;
  }

  /** {@code {"models":[...]}}. */
  public record Fallback(List<FallbackModel> models) {
  }

  /** What the gateway should do toward its upstream provider: timeout in seconds, retries. */
  public record Connection(double timeout, int retries) {
  }
}
