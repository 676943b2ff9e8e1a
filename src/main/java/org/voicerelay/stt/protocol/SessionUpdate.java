package org.voicerelay.stt.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Changes model, language or provider options on a live session. */
public record SessionUpdate(SessionSettings settings) {

  @JsonProperty("type")
  public String type() {
    return MessageType.SESSION_UPDATE;
  }
}
