package org.voicerelay.stt.bench;

import java.util.HashMap;
import java.util.Map;

/** The benches' command lines: {@code --key value} pairs, and {@code --flag} alone meaning true. */
final class BenchArgs {

  private BenchArgs() {
  }

  static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (argv[i].startsWith("--")) {
        String key = argv[i].substring(2);
        String value = i + 1 < argv.length && !argv[i + 1].startsWith("--") ? argv[++i] : "true";
        args.put(key, value);
      }
    }
    return args;
  }

  /** The whole number given for {@code --name}, or {@code def}. */
  static int intArg(Map<String, String> args, String name, int def) {
    return Integer.parseInt(args.getOrDefault(name, String.valueOf(def)));
  }
}
