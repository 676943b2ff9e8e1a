package org.voicerelay.stt.client;

import io.vertx.core.json.JsonObject;

/**
 * Per-stream choices: the language (else the client's) and the sample rate of the audio the
 * caller will write (else the client's session rate); the stream resamples to the session rate.
 */
public class StreamOptions {

  private String language;
  private Integer inputSampleRate;

  public StreamOptions() {
  }

  public StreamOptions(JsonObject json) {
    this.language = json.getString("language");
    if (json.containsKey("inputSampleRate")) {
      setInputSampleRate(json.getInteger("inputSampleRate"));
    }
  }

  public String getLanguage() {
    return language;
  }

  public StreamOptions setLanguage(String language) {
    this.language = language;
    return this;
  }

  public Integer getInputSampleRate() {
    return inputSampleRate;
  }

  public StreamOptions setInputSampleRate(Integer inputSampleRate) {
    if (inputSampleRate != null && (inputSampleRate < 1000 || inputSampleRate > 384_000)) {
      throw new IllegalArgumentException("inputSampleRate must be within 1000..384000 Hz, got "
          + inputSampleRate);
    }
    this.inputSampleRate = inputSampleRate;
    return this;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (language != null) {
      json.put("language", language);
    }
    if (inputSampleRate != null) {
      json.put("inputSampleRate", inputSampleRate);
    }
    return json;
  }
}
