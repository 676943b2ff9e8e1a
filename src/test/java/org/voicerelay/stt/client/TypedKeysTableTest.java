package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The table of typed keys in docs/client.md says what each family's options class sends: every
 * key and its JSON type (bool, int, float, str, list, dict), read from the class by setting every
 * option and calling {@code toJson()}. The table is written in LiveKit's order and types, so
 * comparing it with LiveKit's newest {@code inference/stt.py} is one diff to read.
 */
class TypedKeysTableTest {

  private static final Path DOC = Path.of("docs", "client.md");
  private static final String HEADING = "### Typed options, key by key";
  private static final Pattern KEY = Pattern.compile("`([a-z0-9_]+)` (bool|int|float|str|list|dict)");

  @Test
  void theTableInTheDocsListsEveryFamilysKeysWithTheTypesItsClassSends() throws Exception {
    Map<ModelFamily, Map<String, String>> documented = documented();
    assertEquals(Arrays.asList(ModelFamily.values()), List.copyOf(documented.keySet()), "one row per family, in order");
    for (ModelFamily family : ModelFamily.values()) {
      assertEquals(documented.get(family), sent(family), family + ": docs/client.md against " + family.options(null)
          .getClass().getSimpleName());
    }
  }

  /** The table's rows: family -> key -> JSON type. */
  private static Map<ModelFamily, Map<String, String>> documented() throws IOException {
    String doc = Files.readString(DOC);
    int at = doc.indexOf(HEADING);
    assertTrue(at >= 0, "docs/client.md has no section " + HEADING);
    Map<ModelFamily, Map<String, String>> rows = new java.util.LinkedHashMap<>();
    for (String line : doc.substring(at).split("\n")) {
      if (line.startsWith("## ")) {
        break;
      }
      String[] cells = line.split("\\|");
      if (cells.length < 4 || !cells[1].trim().matches("`[A-Z_]+`")) {
        continue;
      }
      Map<String, String> keys = new TreeMap<>();
      Matcher m = KEY.matcher(cells[3]);
      while (m.find()) {
        keys.put(m.group(1), m.group(2));
      }
      rows.put(ModelFamily.valueOf(cells[1].trim().replace("`", "")), keys);
    }
    return rows;
  }

  /** What the family's class sends with every option set: key -> JSON type. */
  private static Map<String, String> sent(ModelFamily family) throws IllegalAccessException {
    ProviderOptions options = family.options(null);
    for (Field field : options.getClass().getDeclaredFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        field.setAccessible(true);
        field.set(options, sample(field.getType()));
      }
    }
    Map<String, String> keys = new TreeMap<>();
    options.toJson().forEach(e -> keys.put(e.getKey(), jsonType(e.getValue())));
    return keys;
  }

  private static Object sample(Class<?> type) {
    if (type == Boolean.class) {
      return true;
    } else if (type == Integer.class) {
      return 1;
    } else if (type == Double.class) {
      return 0.5;
    } else if (type == String.class) {
      return "x";
    } else if (type == List.class) {
      return List.of("x");
    } else if (type == JsonArray.class) {
      return new JsonArray();
    } else if (type == JsonObject.class) {
      return new JsonObject();
    }
    throw new AssertionError("no sample value for an option of type " + type);
  }

  private static String jsonType(Object value) {
    if (value instanceof Boolean) {
      return "bool";
    } else if (value instanceof Integer || value instanceof Long) {
      return "int";
    } else if (value instanceof Double || value instanceof Float) {
      return "float";
    } else if (value instanceof String) {
      return "str";
    } else if (value instanceof JsonArray) {
      return "list";
    } else if (value instanceof JsonObject) {
      return "dict";
    }
    throw new AssertionError("an option sent as " + value.getClass());
  }
}
