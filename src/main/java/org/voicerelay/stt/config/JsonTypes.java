package org.voicerelay.stt.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The type check the generated options converters leave out: they skip a value of the wrong JSON
 * type as if it were absent, so {@code "port": "7080"} in a config file would silently mean the
 * default. An options class's JSON constructor passes its input through {@link #checked} first.
 */
public final class JsonTypes {

  private JsonTypes() {
  }

  /**
   * {@code json} itself, once every key it shares with {@code defaults} (an options object's
   * {@code toJson()}) holds a value of the same JSON type (number, string, boolean, object, array);
   * keys absent from {@code defaults} and null values are not checked.
   *
   * @param where prefix for the message, e.g. {@code "web."}
   * @throws IllegalArgumentException naming the first key of the wrong type
   */
  public static JsonObject checked(JsonObject json, JsonObject defaults, String where) {
    for (String key : json.fieldNames()) {
      Object value = json.getValue(key);
      Object expected = defaults.getValue(key);
      if (value != null && expected != null && !kind(value).equals(kind(expected))) {
        throw new IllegalArgumentException(where + key + " must be " + kind(expected) + ", got "
            + (value instanceof String ? "\"" + value + "\"" : kind(value)));
      }
    }
    return json;
  }

  /**
   * How a message names the JSON type of a value: {@code a number}, {@code true or false},
   * {@code an object}, {@code an array}, or {@code a string} for anything else.
   */
  public static String kind(Object value) {
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "true or false";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    return "a string";
  }
}
