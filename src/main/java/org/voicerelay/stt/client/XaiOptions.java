package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.format.SnakeCase;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * Options of xAI ({@code stt-1}), with the names LiveKit sends in
 * {@code settings.extra}. Unset options are not sent.
 */
@DataObject
@JsonGen(publicConverter = false, jsonPropertyNameFormatter = SnakeCase.class)
public class XaiOptions extends ProviderOptions {

  private Boolean diarize;
  private Integer endpointing;
  private Boolean format;
  private Boolean interimResults;

  public XaiOptions() {
  }

  public XaiOptions(JsonObject json) {
    XaiOptionsConverter.fromJson(json, this);
  }

  @Override
  public ModelFamily family() {
    return ModelFamily.XAI;
  }

  public Boolean getDiarize() {
    return diarize;
  }

  /** {@code diarize}: Speaker ids. */
  public XaiOptions setDiarize(Boolean diarize) {
    this.diarize = diarize;
    return this;
  }

  public Integer getEndpointing() {
    return endpointing;
  }

  /** {@code endpointing}: Silence in milliseconds that ends an utterance. */
  public XaiOptions setEndpointing(Integer endpointing) {
    this.endpointing = atLeast("endpointing", endpointing, 0);
    return this;
  }

  public Boolean getFormat() {
    return format;
  }

  /** {@code format}: Formatted text (numbers, punctuation). */
  public XaiOptions setFormat(Boolean format) {
    this.format = format;
    return this;
  }

  public Boolean getInterimResults() {
    return interimResults;
  }

  /** {@code interim_results}: Interim transcripts while speaking. */
  public XaiOptions setInterimResults(Boolean interimResults) {
    this.interimResults = interimResults;
    return this;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    XaiOptionsConverter.toJson(this, json);
    return json;
  }
}
