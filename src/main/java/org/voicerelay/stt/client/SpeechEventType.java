package org.voicerelay.stt.client;

/** What a {@link SpeechEvent} reports. {@link #wireName()} is the name used on the event bus. */
public enum SpeechEventType {
  START_OF_SPEECH("start_of_speech"),
  INTERIM_TRANSCRIPT("interim_transcript"),
  PREFLIGHT_TRANSCRIPT("preflight_transcript"),
  FINAL_TRANSCRIPT("final_transcript"),
  END_OF_SPEECH("end_of_speech"),
  RECOGNITION_USAGE("recognition_usage"),
  /** The connection failed and a new one is scheduled; carries the error that caused it. */
  RECONNECTING("reconnecting"),
  /** A failure; {@link SttError#retryable()} tells whether the stream goes on. */
  ERROR("error");

  private final String wireName;

  SpeechEventType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static SpeechEventType fromWireName(String name) {
    for (SpeechEventType t : values()) {
      if (t.wireName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown speech event type: " + name);
  }
}
