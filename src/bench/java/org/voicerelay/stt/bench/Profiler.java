package org.voicerelay.stt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A poor man's sampling profiler: every 5 ms, the stacks of the Vert.x event-loop threads; a
 * sample counts when the thread is RUNNABLE and not parked in epoll. Prints the hottest top frames
 * and the hottest frames of this project (the innermost {@code org.voicerelay} frame of each sample).
 */
final class Profiler {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<String, Integer> top = new HashMap<>();
  private final Map<String, Integer> ours = new HashMap<>();
  private final Map<String, Integer> inclusive = new HashMap<>();
  private final Map<String, Integer> sender = new HashMap<>();
  private volatile boolean running;
  private Thread thread;
  private int samples;
  private int busy;

  void start() {
    running = true;
    thread = new Thread(this::run, "bench-profiler");
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    running = false;
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (running) {
      for (ThreadInfo info : threads.dumpAllThreads(false, false, 40)) {
        if (info.getThreadName().startsWith("bench-sender")) {
          StackTraceElement[] st = info.getStackTrace();
          for (int i = 0; i < Math.min(st.length, 6); i++) {
            sender.merge(i + " " + frame(st[i]), 1, Integer::sum);
          }
          continue;
        }
        if (!info.getThreadName().startsWith("vert.x-eventloop")) {
          continue;
        }
        samples++;
        StackTraceElement[] stack = info.getStackTrace();
        if (info.getThreadState() != Thread.State.RUNNABLE || stack.length == 0 || idle(stack[0])) {
          continue;
        }
        busy++;
        top.merge(frame(stack[0]), 1, Integer::sum);
        java.util.Set<String> inSample = new java.util.HashSet<>();
        for (StackTraceElement e : stack) {
          if (inSample.add(frame(e))) {
            inclusive.merge(frame(e), 1, Integer::sum);
          }
        }
        for (StackTraceElement e : stack) {
          if (e.getClassName().startsWith("org.voicerelay")) {
            ours.merge(frame(e), 1, Integer::sum);
            break;
          }
        }
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Waiting for I/O readiness (NIO's selector or Netty's native epoll), not working. */
  private static boolean idle(StackTraceElement e) {
    String c = e.getClassName();
    String m = e.getMethodName();
    return (c.equals("sun.nio.ch.EPoll") && m.equals("wait")) || m.startsWith("epollWait")
        || m.startsWith("epollBusyWait") || m.equals("doSelect") || m.equals("select");
  }

  private static String frame(StackTraceElement e) {
    return e.getClassName() + "." + e.getMethodName();
  }

  void print() {
    System.out.printf("profile: %d event-loop samples, %d busy (%.0f%%)%n", samples, busy,
        samples == 0 ? 0.0 : busy * 100.0 / samples);
    print("hottest top frames", top);
    print("hottest project frames (innermost org.voicerelay frame)", ours);
    print("inclusive (frame anywhere on the stack)", inclusive, 40);
    print("pacing thread (depth, frame)", sender, 20);
  }

  private void print(String title, Map<String, Integer> counts) {
    print(title, counts, 15);
  }

  private void print(String title, Map<String, Integer> counts, int lines) {
    System.out.println("  " + title + ":");
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort((a, b) -> b.getValue() - a.getValue());
    for (int i = 0; i < Math.min(lines, sorted.size()); i++) {
      System.out.printf("    %5.1f%%  %s%n", sorted.get(i).getValue() * 100.0 / Math.max(1, busy), sorted.get(i).getKey());
    }
  }
}
