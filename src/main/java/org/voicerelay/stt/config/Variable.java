package org.voicerelay.stt.config;

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
