package org.voicerelay.stt.config;

import io.vertx.core.json.JsonArray;
import java.util.Arrays;
import java.util.Objects;

/**
 * An environment variable (or system property of the same name) and the place in the
 * configuration JSON it sets.
 *
 * @param name the variable, e.g. {@code STT_WEB_PORT}
 * @param path dot-separated keys, e.g. {@code web.port}
 * @param type how the text is read: a number, a boolean, a comma-separated list, or as is
 */
public record Variable(String name, String path, Type type) {

  /** How a variable's text becomes a JSON value. */
  public enum Type {
    STRING, NUMBER, BOOLEAN, LIST
  }

  public Variable {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
  }

  /**
   * The JSON value of {@code text} as this variable's type.
   *
   * @throws IllegalArgumentException naming the variable, if the text is not of its type
   */
  public Object parse(String text) {
    return switch (type) {
      case STRING -> text;
      case LIST -> new JsonArray(Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
      case BOOLEAN -> {
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
          throw new IllegalArgumentException(name + " must be true or false, got '" + text + "'");
        }
        yield Boolean.parseBoolean(text);
      }
      case NUMBER -> {
        try {
          long number = Long.parseLong(text);
          yield number == (int) number ? (Object) (int) number : (Object) number;
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(name + " must be a whole number, got '" + text + "'");
        }
      }
    };
  }

  public static Variable string(String name, String path) {
    return new Variable(name, path, Type.STRING);
  }

  public static Variable number(String name, String path) {
    return new Variable(name, path, Type.NUMBER);
  }

  public static Variable bool(String name, String path) {
    return new Variable(name, path, Type.BOOLEAN);
  }

  public static Variable list(String name, String path) {
    return new Variable(name, path, Type.LIST);
  }
}
