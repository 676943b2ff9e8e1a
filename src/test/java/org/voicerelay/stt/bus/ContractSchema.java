package org.voicerelay.stt.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The schemas of the AsyncAPI document, and a checker for the part of JSON Schema the document
 * uses: local {@code $ref}, {@code type} (one or several), {@code required}, {@code properties},
 * {@code additionalProperties: false}, {@code items}, {@code enum}, {@code minimum},
 * {@code maximum}, {@code pattern}.
 */
final class ContractSchema {

  static final String RESOURCE = "/asyncapi/stt-eventbus.json";

  final JsonObject document;

  private ContractSchema(JsonObject document) {
    this.document = document;
  }

  static ContractSchema load() {
    try (InputStream in = ContractSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path");
      }
      return new ContractSchema(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  JsonObject schema(String name) {
    JsonObject s = document.getJsonObject("components").getJsonObject("schemas").getJsonObject(name);
    if (s == null) {
      throw new IllegalArgumentException("no schema " + name + " in " + RESOURCE);
    }
    return s;
  }

  /** What is wrong with {@code value} as a {@code name}; empty if nothing. */
  List<String> violations(String name, Object value) {
    List<String> out = new ArrayList<>();
    check(schema(name), value, name, out);
    return out;
  }

  private JsonObject resolve(JsonObject schema) {
    String ref = schema.getString("$ref");
    if (ref == null) {
      return schema;
    }
    Object node = document;
    for (String part : ref.substring(2).split("/")) {
      node = ((JsonObject) node).getValue(part);
    }
    return (JsonObject) node;
  }

  private void check(JsonObject schemaOrRef, Object value, String path, List<String> out) {
    JsonObject schema = resolve(schemaOrRef);
    Object type = schema.getValue("type");
    if (type != null) {
      List<Object> types = type instanceof JsonArray a ? a.getList() : List.of(type);
      if (types.stream().noneMatch(t -> hasType(value, (String) t))) {
        out.add(path + ": expected " + types + ", got " + (value == null ? "null" : value.getClass().getSimpleName())
            + " " + value);
        return;
      }
    }
    JsonArray allowed = schema.getJsonArray("enum");
    if (allowed != null && !allowed.contains(value)) {
      out.add(path + ": " + value + " is not one of " + allowed);
    }
    if (value instanceof Number n) {
      if (schema.containsKey("minimum") && n.doubleValue() < schema.getDouble("minimum")) {
        out.add(path + ": " + n + " < minimum " + schema.getValue("minimum"));
      }
      if (schema.containsKey("maximum") && n.doubleValue() > schema.getDouble("maximum")) {
        out.add(path + ": " + n + " > maximum " + schema.getValue("maximum"));
      }
    }
    if (value instanceof String s && schema.containsKey("pattern")
        && !Pattern.compile(schema.getString("pattern")).matcher(s).find()) {
      out.add(path + ": '" + s + "' does not match " + schema.getString("pattern"));
    }
    if (value instanceof JsonObject o) {
      JsonObject properties = schema.getJsonObject("properties", new JsonObject());
      for (Object r : schema.getJsonArray("required", new JsonArray())) {
        if (!o.containsKey((String) r)) {
          out.add(path + ": required field " + r + " is missing");
        }
      }
      for (Map.Entry<String, Object> field : o) {
        JsonObject fieldSchema = properties.getJsonObject(field.getKey());
        if (fieldSchema != null) {
          check(fieldSchema, field.getValue(), path + "." + field.getKey(), out);
        } else if (Boolean.FALSE.equals(schema.getValue("additionalProperties"))) {
          out.add(path + ": field " + field.getKey() + " is not in the contract");
        }
      }
    }
    if (value instanceof JsonArray a && schema.containsKey("items")) {
      for (int i = 0; i < a.size(); i++) {
        check(schema.getJsonObject("items"), a.getValue(i), path + "[" + i + "]", out);
      }
    }
  }

  private static boolean hasType(Object value, String type) {
    return switch (type) {
      case "null" -> value == null;
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "object" -> value instanceof JsonObject;
      case "array" -> value instanceof JsonArray;
      case "number" -> value instanceof Number;
      case "integer" -> value instanceof Integer || value instanceof Long
          || (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()));
      default -> false;
    };
  }
}
