package org.voicerelay.stt.client;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.format.SnakeCase;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * Options of Inworld ({@code inworld-stt-1}), with the names LiveKit sends in
 * {@code settings.extra}. LiveKit types no provider option of its own for Inworld yet; the class names the family, and {@code SttOptions#setExtra} passes anything else through.
 */
@DataObject
@JsonGen(publicConverter = false, jsonPropertyNameFormatter = SnakeCase.class)
public class InworldOptions extends ProviderOptions {

  public InworldOptions() {
  }

  public InworldOptions(JsonObject json) {
    InworldOptionsConverter.fromJson(json, this);
  }

  @Override
  public ModelFamily family() {
    return ModelFamily.INWORLD;
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    InworldOptionsConverter.toJson(this, json);
    return json;
  }
}
