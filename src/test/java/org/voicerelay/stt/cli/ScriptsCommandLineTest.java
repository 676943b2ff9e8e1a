package org.voicerelay.stt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every program in {@code scripts/} answers {@code --help} and {@code -h} with its usage (exit 0,
 * nothing on standard error) and refuses an unknown option or a bad value with the reason and the
 * usage on standard error (exit 2), in seconds: before building or starting anything ({@code mvn},
 * {@code java} and {@code npm} on its PATH are stand-ins that record any call), leaving the
 * checkout as it was and no process behind.
 */
class ScriptsCommandLineTest {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path SCRIPTS = ROOT.resolve("scripts");
  private static final Path WORK = ROOT.resolve("target/scripts-command-line");
  private static final Path STUBS = WORK.resolve("stubs");
  private static final Path STUB_CALLS = WORK.resolve("stub-calls.log");
  private static final long LIMIT_SECONDS = 20;
  private static final String UNKNOWN_OPTION = "--no-such-option";
  /** What the checkout's state leaves out: build output and installed packages. */
  private static final Set<String> NOT_THE_CHECKOUT = Set.of("target", ".git", "node_modules", ".node", ".idea");

  /** A program's exit code and output. */
  record Run(int exit, String out, String err) {
  }

  @BeforeAll
  static void standInsForWhatBuildsOrStarts() throws IOException {
    Files.createDirectories(STUBS);
    for (String tool : List.of("mvn", "java", "npm")) {
      Path stub = STUBS.resolve(tool);
      Files.writeString(stub, "#!/bin/sh\necho \"" + tool + " $*\" >> '" + STUB_CALLS + "'\nexit 97\n");
      assertTrue(stub.toFile().setExecutable(true), "cannot make " + stub + " executable");
    }
  }

  @Test
  void everyProgramIsFound() {
    List<String> names = programs().stream().map(p -> p.getFileName().toString()).toList();
    assertTrue(names.containsAll(List.of("bench", "bridge-client.py", "cluster-demo", "gateway",
        "livekit-node-check", "livekit-node-check.mjs", "make-samples", "node", "peer-bench.mjs", "screenshot",
        "soak", "transcribe")), names.toString());
  }

  @TestFactory
  Stream<DynamicTest> everyProgramAnswersHelpAndRefusesAnUnknownOption() {
    return programs().stream().flatMap(program -> Stream.of(
        DynamicTest.dynamicTest(name(program) + " --help", () -> answersHelp(program, "--help")),
        DynamicTest.dynamicTest(name(program) + " -h", () -> answersHelp(program, "-h")),
        DynamicTest.dynamicTest(name(program) + " " + UNKNOWN_OPTION, () -> {
          Run run = run(program, UNKNOWN_OPTION);
          assertRefused(run, UNKNOWN_OPTION);
        })));
  }

  @TestFactory
  Stream<DynamicTest> badValuesAreRefusedBeforeAnythingStarts() {
    Map<String, List<String>> cases = new TreeMap<>(Map.of(
        "soak --sessions 0", List.of("soak", "--sessions", "0"),
        "soak --minutes soon", List.of("soak", "--minutes", "soon"),
        "soak --fault sometimes", List.of("soak", "--fault", "sometimes"),
        "soak --fault restart --outage-seconds", List.of("soak", "--fault", "restart", "--outage-seconds"),
        "cluster-demo --engine whisper", List.of("cluster-demo", "--engine", "whisper"),
        "livekit-node-check whisper", List.of("livekit-node-check", "whisper"),
        "gateway --port", List.of("gateway", "--port"),
        "node --members", List.of("node", "--members"),
        "transcribe --model", List.of("transcribe", "--model"),
        "bridge-client.py --port seven", List.of("bridge-client.py", "--port", "seven")));
    return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(), () -> {
      List<String> words = c.getValue();
      Run run = run(SCRIPTS.resolve(words.get(0)), words.subList(1, words.size()).toArray(String[]::new));
      assertRefused(run, words.get(words.size() - 1));
    }));
  }

  @Test
  void theScriptsOfTheJavaProgramsPrintTheirUsageText() throws Exception {
    for (String program : List.of("gateway", "node", "transcribe")) {
      Run run = run(SCRIPTS.resolve(program), "--help");
      assertTrue(run.out().startsWith(Usage.of(program)), program + " --help printed:\n" + run.out());
    }
  }

  @Test
  void operationsListsTheHazelcastJvmFlagsTheNodeGets() throws IOException {
    String docs = Files.readString(ROOT.resolve("docs/operations.md"));
    List<String> flags = Files.readAllLines(SCRIPTS.resolve("lib/hazelcast.jvmargs")).stream()
        .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    assertFalse(flags.isEmpty());
    for (String flag : flags) {
      assertTrue(docs.contains(flag), "docs/operations.md does not list " + flag);
    }
    assertTrue(Files.readString(SCRIPTS.resolve("node")).contains("@\"$root/scripts/lib/hazelcast.jvmargs\""),
        "scripts/node does not pass scripts/lib/hazelcast.jvmargs");
  }

  private static void answersHelp(Path program, String flag) throws Exception {
    Run run = run(program, flag);
    assertEquals(0, run.exit(), name(program) + " " + flag + " exit code; stderr:\n" + run.err());
    assertTrue(run.out().lines().anyMatch(line -> line.startsWith("usage:")), "no usage line:\n" + run.out());
    assertTrue(run.err().isBlank(), "standard error should be empty:\n" + run.err());
  }

  private static void assertRefused(Run run, String culprit) {
    assertEquals(2, run.exit(), "exit code; stdout:\n" + run.out() + "\nstderr:\n" + run.err());
    assertTrue(run.err().lines().anyMatch(line -> line.startsWith("usage:")), "no usage on stderr:\n" + run.err());
    assertTrue(run.err().contains(culprit), "the reason does not name " + culprit + ":\n" + run.err());
    assertTrue(run.out().isBlank(), "standard output should be empty:\n" + run.out());
  }

  /**
   * Runs a program with the stand-ins first on its PATH; asserts that it ended within the limit,
   * called no stand-in, changed nothing in the checkout and left no process.
   */
  private static Run run(Path program, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    String name = name(program);
    if (name.endsWith(".mjs")) {
      assumeTrue(onPath("node"), "node is not installed: " + name + " is not run");
      command.add("node");
    } else if (Files.readString(program).lines().findFirst().orElse("").contains("python3")) {
      assumeTrue(onPath("python3"), "python3 is not installed: " + name + " is not run");
    }
    command.add(program.toString());
    command.addAll(List.of(args));
    String label = name + " " + String.join(" ", args);

    Files.deleteIfExists(STUB_CALLS);
    String checkoutBefore = checkoutState();
    String marker = UUID.randomUUID().toString();
    Path out = WORK.resolve("out.txt");
    Path err = WORK.resolve("err.txt");
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("PATH", STUBS + File.pathSeparator + System.getenv("PATH"));
    builder.environment().put("STT_SCRIPTS_TEST_RUN", marker);
    Process process = builder.start();
    boolean ended = process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
    List<ProcessHandle> left = processesMarked(marker, process);
    left.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    if (!ended) {
      fail(label + " did not end within " + LIMIT_SECONDS + " s");
    }
    Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    assertTrue(left.isEmpty(), label + " left processes behind: "
        + left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList());
    assertFalse(Files.exists(STUB_CALLS), label + " built or started something: "
        + (Files.exists(STUB_CALLS) ? Files.readString(STUB_CALLS) : ""));
    List<String> changed = changedLines(checkoutBefore, checkoutState());
    assertTrue(changed.isEmpty(), label + " changed the checkout: " + changed);
    return run;
  }

  /** The programs: the executable files and the Node modules directly in scripts/. */
  private static List<Path> programs() {
    try (Stream<Path> files = Files.list(SCRIPTS)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> Files.isExecutable(p) || p.toString().endsWith(".mjs"))
          .sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list " + SCRIPTS, e);
    }
  }

  private static String name(Path program) {
    return "scripts/" + program.getFileName();
  }

  /**
   * The processes still running with the marker in their environment (read from /proc, so that one
   * left to init is found too), or where /proc is missing the program's own descendants.
   */
  private static List<ProcessHandle> processesMarked(String marker, Process process) {
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc.resolve("self"))) {
      return process.descendants().filter(ProcessHandle::isAlive).toList();
    }
    byte[] wanted = ("STT_SCRIPTS_TEST_RUN=" + marker).getBytes(StandardCharsets.UTF_8);
    List<ProcessHandle> marked = new ArrayList<>();
    try (Stream<Path> entries = Files.list(proc)) {
      for (Path entry : entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        byte[] environ;
        try {
          environ = Files.readAllBytes(entry.resolve("environ"));
        } catch (IOException | SecurityException gone) {
          continue;
        }
        if (contains(environ, wanted)) {
          ProcessHandle.of(Long.parseLong(entry.getFileName().toString()))
              .filter(ProcessHandle::isAlive).ifPresent(marked::add);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return marked;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /**
   * The checkout as a text: {@code git status} where git is at hand, and the size and modification
   * time of every file outside build output and installed packages.
   */
  private static String checkoutState() throws IOException, InterruptedException {
    StringBuilder state = new StringBuilder();
    if (onPath("git")) {
      Process git = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=all")
          .directory(ROOT.toFile()).redirectErrorStream(true).start();
      String status = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (git.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS) && git.exitValue() == 0) {
        state.append(status);
      }
      git.destroyForcibly();
    }
    Map<String, String> files = new HashMap<>();
    Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
        return !dir.equals(ROOT) && NOT_THE_CHECKOUT.contains(dir.getFileName().toString())
            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        files.put(ROOT.relativize(file).toString(), attributes.size() + " " + attributes.lastModifiedTime());
        return FileVisitResult.CONTINUE;
      }
    });
    state.append(new TreeMap<>(files).entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining("\n")));
    return state.toString();
  }

  private static List<String> changedLines(String before, String after) {
    Set<String> was = Set.copyOf(before.lines().toList());
    Set<String> is = Set.copyOf(after.lines().toList());
    List<String> changed = new ArrayList<>();
    was.stream().filter(line -> !is.contains(line)).sorted().forEach(line -> changed.add("- " + line));
    is.stream().filter(line -> !was.contains(line)).sorted().forEach(line -> changed.add("+ " + line));
    return changed;
  }

  private static boolean onPath(String tool) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
  }
}
