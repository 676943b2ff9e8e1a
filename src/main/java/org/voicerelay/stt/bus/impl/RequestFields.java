package org.voicerelay.stt.bus.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.voicerelay.stt.bus.BusErrorCode;
import org.voicerelay.stt.config.JsonTypes;

/**
 * Typed reads of a request body that fail with {@link BusErrorCode#BAD_REQUEST} and a message
 * naming the field, instead of the {@link ClassCastException} of {@link JsonObject}'s getters.
 */
final class RequestFields {

  private final JsonObject json;

  private RequestFields(JsonObject json) {
    this.json = json;
  }

  /**
   * A body as a JSON object: a {@link JsonObject}, or a String or Buffer holding one (for senders
   * that send text).
   */
  static RequestFields of(Object body) {
    if (body instanceof JsonObject o) {
      return new RequestFields(o);
    }
    if (body instanceof String || body instanceof Buffer) {
      try {
        Object parsed = body instanceof String s ? new JsonObject(s) : ((Buffer) body).toJsonObject();
        return new RequestFields((JsonObject) parsed);
      } catch (DecodeException | ClassCastException e) {
        throw bad("malformed JSON: the body must be a JSON object");
      }
    }
    throw bad("the body must be a JSON object, got " + typeName(body));
  }

  JsonObject json() {
    return json;
  }

  String string(String field) {
    return typed(field, String.class, "a string");
  }

  Integer integer(String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    throw bad(field + " must be a whole number, got " + (v instanceof Number ? v : typeName(v)));
  }

  JsonObject object(String field) {
    return typed(field, JsonObject.class, "a JSON object");
  }

  JsonArray array(String field) {
    return typed(field, JsonArray.class, "a JSON array");
  }

  /** The field's value if absent or of {@code type}; otherwise a 400 naming field and types. */
  private <T> T typed(String field, Class<T> type, String description) {
    Object v = json.getValue(field);
    if (v == null || type.isInstance(v)) {
      return type.cast(v);
    }
    throw bad(field + " must be " + description + ", got " + typeName(v));
  }

  /**
   * A list of strings, each 1 to {@code maxLength} characters, at most {@code max} of them;
   * null when absent.
   */
  List<String> strings(String field, int max, int maxLength) {
    JsonArray array = array(field);
    if (array == null) {
      return null;
    }
    if (array.size() > max) {
      throw bad(field + " takes at most " + max + " entries, got " + array.size());
    }
    List<String> strings = new ArrayList<>(array.size());
    for (Object entry : array) {
      if (!(entry instanceof String s) || s.isBlank() || s.length() > maxLength) {
        throw bad(field + " must hold strings of 1 to " + maxLength + " characters, got " + typeName(entry));
      }
      strings.add(s);
    }
    return strings;
  }

  static ReplyException bad(String message) {
    return BusErrorCode.failure(BusErrorCode.BAD_REQUEST, message);
  }

  static String typeName(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Buffer) {
      return "binary";
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof JsonObject
        || v instanceof JsonArray) {
      return JsonTypes.kind(v);
    }
    return "a " + v.getClass().getSimpleName();
  }
}
