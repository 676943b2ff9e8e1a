package org.voicerelay.stt.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every connection the fault gateways saw in one run, from all the processes of a restart: the
 * stream it belongs to ({@code X-LiveKit-Room-ID}, or {@code -} for a client that sends none), when
 * (wall clock, microseconds) and whether it was that stream's first.
 */
final class ConnectionLog {

  private record Connection(String key, long atMicros, boolean first) {
  }

  private final List<Connection> all = new ArrayList<>();
  private final java.util.Set<String> seen = new java.util.HashSet<>();
  private final int streams;
  private int keyless;
  private long windowEndMicros = Long.MAX_VALUE;

  /** {@code streams}: how many streams run, so that many unnamed connections count as firsts. */
  ConnectionLog(int streams) {
    this.streams = streams;
  }

  /**
   * A connection reported by a gateway process. Whether it is its stream's first is decided here,
   * over every process of the run (a restarted gateway has not seen the streams before).
   */
  synchronized void add(String key, long atMicros) {
    boolean first = key.equals("-") ? keyless++ < streams : seen.add(key);
    all.add(new Connection(key, atMicros, first));
  }

  private final List<long[]> stalls = new ArrayList<>();

  /** A gateway process's event loop was {@code ms} late in the second before {@code atMicros}. */
  synchronized void stall(long atMicros, long ms) {
    stalls.add(new long[] {atMicros, ms});
  }

  /** The gateway's worst event-loop stall (ms) reported after {@code fromMicros}; 0 if none over 50 ms. */
  synchronized long worstStall(long fromMicros) {
    return stalls.stream().filter(s -> s[0] >= fromMicros).mapToLong(s -> s[1]).max().orElse(0);
  }

  /** From now on connections are logged but left out of the figures (the end of a 30 s window). */
  synchronized void closeWindow(long atMicros) {
    windowEndMicros = atMicros;
  }

  synchronized boolean windowed() {
    return windowEndMicros != Long.MAX_VALUE;
  }

  private List<Connection> inWindow() {
    return all.stream().filter(c -> c.atMicros <= windowEndMicros).toList();
  }

  /** Connections in the window. */
  synchronized int total() {
    return inWindow().size();
  }

  synchronized int firsts() {
    return (int) all.stream().filter(Connection::first).count();
  }

  /**
   * Connections per stream, sorted, for streams keyed {@code prefix + 0 .. n-1} (a stream never
   * seen counts 0); null when the connections carry no key (then only the mean is known).
   */
  synchronized int[] perStream(String prefix, int n) {
    Map<String, Integer> counts = new HashMap<>();
    boolean keyed = false;
    for (Connection c : inWindow()) {
      if (!c.key.equals("-")) {
        keyed = true;
        counts.merge(c.key, 1, Integer::sum);
      }
    }
    if (!keyed) {
      return null;
    }
    int[] per = new int[n];
    for (int i = 0; i < n; i++) {
      per[i] = counts.getOrDefault(prefix + i, 0);
    }
    Arrays.sort(per);
    return per;
  }

  /** The largest number of reconnections (connections after a stream's first) in any 100 ms window. */
  synchronized int largestReconnectBurst(long windowMicros) {
    long[] at = inWindow().stream().filter(c -> !c.first).mapToLong(Connection::atMicros).sorted().toArray();
    int best = 0;
    int from = 0;
    for (int to = 0; to < at.length; to++) {
      while (at[to] - at[from] >= windowMicros) {
        from++;
      }
      best = Math.max(best, to - from + 1);
    }
    return best;
  }
}
