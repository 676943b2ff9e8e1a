package org.voicerelay.stt.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;

/** Heap bytes allocated so far by the live threads of this JVM whose names start with a prefix. */
final class HeapAllocation {

  private HeapAllocation() {
  }

  static long byThreads(String namePrefix) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long bytes = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith(namePrefix)) {
        bytes += Math.max(0, threads.getThreadAllocatedBytes(info.getThreadId()));
      }
    }
    return bytes;
  }
}
