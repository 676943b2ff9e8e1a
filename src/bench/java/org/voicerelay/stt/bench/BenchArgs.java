package org.voicerelay.stt.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The benches' command lines: {@code --key value} pairs, and {@code --flag} alone meaning true.
 * An unknown option, a stray word or a malformed number is refused with the usage on standard
 * error and exit status 2 (scripts/bench shows both on the console).
 */
final class BenchArgs {

  private BenchArgs() {
  }

  static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + argv[i] + "' (options are --name [value])");
      }
      String key = argv[i].substring(2);
      String value = i + 1 < argv.length && !argv[i + 1].startsWith("--") ? argv[++i] : "true";
      args.put(key, value);
    }
    return args;
  }

  /**
   * The options, or the usage on standard output and exit 0 for {@code --help}; for anything not in
   * {@code known}, the usage on standard error and exit 2.
   */
  static Map<String, String> parseOrExit(String[] argv, Set<String> known, String usage) {
    for (String a : argv) {
      if (a.equals("--help") || a.equals("-h")) {
        System.out.println(usage);
        System.exit(0);
      }
    }
    try {
      Map<String, String> args = parse(argv);
      for (String key : args.keySet()) {
        if (!known.contains(key)) {
          throw new IllegalArgumentException("unknown option --" + key);
        }
      }
      return args;
    } catch (IllegalArgumentException e) {
      exitWithUsage(e.getMessage(), usage);
      return null;
    }
  }

  static void exitWithUsage(String error, String usage) {
    System.err.println("error: " + error);
    System.err.println(usage);
    System.exit(2);
  }

  /** The whole number given for {@code --name}, or {@code def}. */
  static int intArg(Map<String, String> args, String name, int def) {
    String v = args.get(name);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + v + "'");
    }
  }
}
