package org.voicerelay.stt.config;

import io.vertx.config.spi.ConfigProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The vertx-config format {@value #NAME}: reads the flat {@code NAME -> text} JSON of an
 * {@code env}, {@code sys} or {@code json} store and puts each variable listed in the store's
 * {@code variables} at its path, typed. Everything else in the store is left out, so the system
 * properties of the JVM never reach the configuration. A value that cannot be read as its type
 * fails the retrieval with a message that names the variable.
 *
 * <p>Store configuration: {@code {"variables": {"STT_WEB_PORT": {"path": "web.port", "type":
 * "NUMBER"}, ...}}}; {@link NodeConfig} writes it.
 */
public final class VariablesFormat implements ConfigProcessor {

  public static final String NAME = "stt-variables";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<JsonObject> process(Vertx vertx, JsonObject configuration, Buffer input) {
    try {
      JsonObject values = input.length() == 0 ? new JsonObject() : input.toJsonObject();
      JsonObject variables = configuration == null ? new JsonObject()
          : configuration.getJsonObject("variables", new JsonObject());
      JsonObject out = new JsonObject();
      for (String name : variables.fieldNames()) {
        Object value = values.getValue(name);
        if (value == null || value.toString().isBlank()) {
          continue;
        }
        JsonObject entry = variables.getJsonObject(name);
        Variable variable = new Variable(name, entry.getString("path"), Variable.Type.valueOf(entry.getString("type")));
        put(out, variable.path(), variable.parse(value.toString().trim()));
      }
      return Future.succeededFuture(out);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static void put(JsonObject root, String path, Object value) {
    String[] keys = path.split("\\.");
    JsonObject target = root;
    for (int i = 0; i < keys.length - 1; i++) {
      JsonObject next = target.getJsonObject(keys[i]);
      if (next == null) {
        next = new JsonObject();
        target.put(keys[i], next);
      }
      target = next;
    }
    target.put(keys[keys.length - 1], value);
  }
}
