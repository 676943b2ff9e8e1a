package org.voicerelay.stt.bus.impl;

import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.AdmissionOptions;
import org.voicerelay.stt.bus.NodeLoad;
import org.voicerelay.stt.bus.SttVerticleOptions;

/**
 * Whether the node takes new sessions: one per node and prefix ({@link SttNode}), shared by every
 * instance of the verticle. It holds the node's one count of admitted (live) sessions, which
 * {@code maxSessions} limits ({@link Cause#MAX_SESSIONS}, answered 429, not a saturation).
 *
 * <p>Memory is bounded by construction: a session is admitted only while its worst case (its
 * {@code maxBufferedBytes} plus the client's replay buffer) fits in the node audio budget beside
 * the worst cases of the sessions already admitted. CPU is watched: every instance reports the
 * lateness of a periodic timer on its event loop and the audio its sessions buffer. The node is
 * saturated as soon as one mark is passed (the lag above {@code maxEventLoopLagMs} for a second
 * while it serves sessions,
 * buffered audio above a quarter of the budget, or no room for one more session) and recovers only after every
 * measure has stayed below half its mark for {@code admissionRecoveryMs}, so it does not flap.
 * Admitted sessions are never touched: saturation only refuses new ones.
 *
 * <p>Slow start: a session costs CPU only once its WebSocket is up, and a lag is believed only
 * after a second, so a node that took every open offered could admit hundreds of sessions before
 * its lag shows. A token bucket of {@code maxAdmissionsPerSecond} (holding one second's worth)
 * bounds how fast it admits; an open beyond it is refused (or passed on to another node) without
 * saturating the node.
 */
public final class AdmissionControl implements NodeLoad {

  private static final Logger LOG = LoggerFactory.getLogger(AdmissionControl.class);
  /** Buffered audio beyond this share of the budget means the gateway or the node is falling behind. */
  static final double SATURATED_BUFFERED_SHARE = 0.25;
  /**
   * Replay audio beyond this share of the budget means the gateway finalizes too slowly: the
   * sessions hold seconds of sent audio each, and a reconnect of them all would resend it.
   */
  static final double SATURATED_REPLAY_SHARE = 0.5;
  /** Weight of the newest lag sample. */
  static final double LAG_SMOOTHING = 0.3;
  /**
   * How long the lag must stay above its mark to saturate the node: a burst of opens or a GC pause
   * stalls a loop for a moment, an overloaded node stays late.
   */
  static final long LAG_SATURATES_AFTER_MS = 1_000;

  /** Why the node refuses opens. */
  public enum Cause {
    EVENT_LOOP_LAG("event_loop_lag"),
    BUFFERED_AUDIO("buffered_audio"),
    REPLAY_AUDIO("replay_audio"),
    AUDIO_BUDGET("audio_budget"),
    /** Not a saturation: the node admits no faster than {@code maxAdmissionsPerSecond}. */
    ADMISSION_RATE("admission_rate"),
    /** Not a saturation: the node serves {@code maxSessions} already (429 {@code too_many_sessions}). */
    MAX_SESSIONS("max_sessions");

    final String wireName;

    Cause(String wireName) {
      this.wireName = wireName;
    }
  }

  /** The latest figures of one verticle instance. */
  private static final class Sample {
    double lagMs;
    long bufferedBytes;
    long replayBytes;
    long deafForMs;
  }

  private final long budgetBytes;
  private final long sessionBytes;
  private final long maxLagMs;
  private final long recoveryMs;
  private final int admissionsPerSecond;
  private final int maxSessions;
  private double tokens;
  private long refilledNanos = System.nanoTime();
  private final Map<Object, Sample> samples = new HashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private int admitted;
  private long refused;
  private Cause cause;
  private long calmSinceMs = -1;
  private long lateSinceMs = -1;

  private AdmissionControl(long budgetBytes, long sessionBytes, long maxLagMs, long recoveryMs,
      int admissionsPerSecond, int maxSessions) {
    this.maxSessions = maxSessions;
    this.budgetBytes = budgetBytes;
    this.sessionBytes = sessionBytes;
    this.maxLagMs = maxLagMs;
    this.recoveryMs = recoveryMs;
    this.admissionsPerSecond = admissionsPerSecond;
    this.tokens = admissionsPerSecond;
  }

  /**
   * The admission control of a node with these options (one per {@link SttNode}).
   *
   * @throws IllegalArgumentException if the budget cannot hold a single session
   */
  public static AdmissionControl create(SttVerticleOptions options) {
    budgetWarning(options, Runtime.getRuntime().maxMemory()).ifPresent(LOG::warn);
    return new AdmissionControl(budgetBytes(options), sessionBytes(options), options.getAdmission().getMaxEventLoopLagMs(),
        options.getAdmission().getAdmissionRecoveryMs(), options.getAdmission().getMaxAdmissionsPerSecond(), options.getMaxSessions());
  }

  /** An instance stops: its figures no longer count, and its listener is told nothing more. */
  synchronized void forget(Object instance, Runnable listener) {
    listeners.remove(listener);
    samples.remove(instance);
  }

  /** The node audio budget: the option, or a share of the max heap. */
  public static long budgetBytes(SttVerticleOptions options) {
    return options.getAdmission().getNodeAudioBudgetBytes() > 0 ? options.getAdmission().getNodeAudioBudgetBytes()
        : (long) (Runtime.getRuntime().maxMemory() * AdmissionOptions.DEFAULT_AUDIO_BUDGET_HEAP_SHARE);
  }

  /** One session's worst case: {@code maxBufferedBytes} plus a full replay buffer, at the session rate. */
  public static long sessionBytes(SttVerticleOptions options) {
    long replay = options.getClient().getSampleRate() * 2L * options.getClient().getReplayBufferMs() / 1000;
    return options.getMaxBufferedBytes() + replay;
  }

  /**
   * What an operator should hear at start: the budget cannot hold {@code maxSessions} worst cases
   * (fewer sessions will be admitted), or an explicit budget is larger than the heap.
   *
   * @throws IllegalArgumentException if the budget cannot hold a single session
   */
  public static Optional<String> budgetWarning(SttVerticleOptions options, long maxHeapBytes) {
    long budget = budgetBytes(options);
    long session = sessionBytes(options);
    String perSession = mib(session) + " per session (maxBufferedBytes " + mib(options.getMaxBufferedBytes())
        + " + a replay buffer of " + options.getClient().getReplayBufferMs() + " ms)";
    String budgetName = options.getAdmission().getNodeAudioBudgetBytes() > 0 ? "nodeAudioBudgetBytes " + mib(budget)
        : "the node audio budget " + mib(budget) + " (half of the max heap " + mib(maxHeapBytes) + ")";
    if (session > budget) {
      throw new IllegalArgumentException(budgetName + " cannot hold a single session of " + perSession
          + ": raise nodeAudioBudgetBytes or the heap, or lower maxBufferedBytes or client.replayBufferMs");
    }
    if (options.getAdmission().getNodeAudioBudgetBytes() > maxHeapBytes) {
      return Optional.of("nodeAudioBudgetBytes " + mib(budget) + " is larger than the max heap "
          + mib(maxHeapBytes) + ": streams keep their audio in direct memory, whose limit is the max heap"
          + " unless -XX:MaxDirectMemorySize says otherwise");
    }
    long fit = budget / session;
    if (fit < options.getMaxSessions()) {
      return Optional.of("maxSessions " + options.getMaxSessions() + " x " + perSession + " = "
          + mib(session * options.getMaxSessions()) + " exceeds " + budgetName + ": at most " + fit
          + " sessions will be admitted, later opens get 503 overloaded. Raise the heap or"
          + " nodeAudioBudgetBytes, or lower maxBufferedBytes, client.replayBufferMs or maxSessions");
    }
    return Optional.empty();
  }

  /** Runs {@code listener} on {@code context} whenever the node becomes saturated or recovers. */
  Runnable onChange(Context context, Runnable listener) {
    Runnable onContext = () -> context.runOnContext(v -> listener.run());
    listeners.add(onContext);
    return onContext;
  }

  /**
   * Takes one session's worst case from the budget.
   *
   * @return null if admitted (give it back with {@link #release()}), else why not
   */
  public synchronized Cause tryAdmit() {
    if (cause != null) {
      refused++;
      return cause;
    }
    if (!roomForOneMore()) {
      refused++;
      saturate(Cause.AUDIO_BUDGET);
      return cause;
    }
    if (admitted >= maxSessions) {
      return Cause.MAX_SESSIONS;
    }
    if (!takeToken()) {
      refused++;
      return Cause.ADMISSION_RATE;
    }
    admitted++;
    if (!roomForOneMore()) {
      saturate(Cause.AUDIO_BUDGET);
    }
    return null;
  }

  /** Whether the bucket holds an admission now (none is taken): false means an open would be refused for the rate. */
  synchronized boolean rateAllowsAdmission() {
    refill();
    return admissionsPerSecond == 0 || tokens >= 1;
  }

  private boolean takeToken() {
    if (admissionsPerSecond == 0) {
      return true;
    }
    refill();
    if (tokens < 1) {
      return false;
    }
    tokens--;
    return true;
  }

  private void refill() {
    long now = System.nanoTime();
    tokens = Math.min(admissionsPerSecond, tokens + (now - refilledNanos) / 1e9 * admissionsPerSecond);
    refilledNanos = now;
  }

  /** Gives back what {@link #tryAdmit()} took, when the session is over. */
  synchronized void release() {
    admitted--;
  }

  /**
   * One instance's figures: the lateness of its probe timer, the audio its sessions buffer toward
   * the gateway and the audio they keep for a replay.
   */
  public synchronized void report(Object instance, long lagMs, long bufferedBytes, long replayBytes, long deafForMs) {
    Sample sample = samples.computeIfAbsent(instance, k -> new Sample());
    sample.deafForMs = deafForMs;
    sample.lagMs = sample.lagMs * (1 - LAG_SMOOTHING) + lagMs * LAG_SMOOTHING;
    sample.bufferedBytes = bufferedBytes;
    sample.replayBytes = replayBytes;
    evaluate(System.nanoTime() / 1_000_000, lagMs);
  }

  /**
   * {@code rawLagMs}: the newest sample. A loop that ran its timer that late has been late that
   * long, but one stall (a GC pause) is not a saturated node: the first late sample counts for at
   * most the mark, so a second late one is needed.
   */
  private void evaluate(long nowMs, long rawLagMs) {
    // an idle node has no session to protect, and its lag is not its own doing (GC, other processes)
    double lag = admitted > 0 ? lagMs() : 0;
    long buffered = bufferedBytes();
    long replay = replayBytes();
    if (lag <= maxLagMs) {
      lateSinceMs = -1;
    } else if (lateSinceMs < 0) {
      lateSinceMs = nowMs - Math.min(rawLagMs, maxLagMs);
    }
    boolean lagging = lateSinceMs >= 0 && nowMs - lateSinceMs >= LAG_SATURATES_AFTER_MS;
    Cause over = lagging ? Cause.EVENT_LOOP_LAG
        : buffered > budgetBytes * SATURATED_BUFFERED_SHARE ? Cause.BUFFERED_AUDIO
        : replay > budgetBytes * SATURATED_REPLAY_SHARE ? Cause.REPLAY_AUDIO
        : !roomForOneMore() ? Cause.AUDIO_BUDGET : null;
    if (cause == null) {
      if (over != null) {
        saturate(over);
      }
      return;
    }
    boolean calm = lag <= maxLagMs / 2.0 && buffered <= budgetBytes * SATURATED_BUFFERED_SHARE / 2
        && replay <= budgetBytes * SATURATED_REPLAY_SHARE / 2
        && roomForOneMore();
    if (over != null) {
      cause = over;
    }
    if (!calm) {
      calmSinceMs = -1;
    } else if (calmSinceMs < 0) {
      calmSinceMs = nowMs;
    }
    if (calm && nowMs - calmSinceMs >= recoveryMs) {
      cause = null;
      calmSinceMs = -1;
      LOG.info("node recovered: taking opens again (event-loop lag {} ms, buffered {}, {} sessions admitted)",
          Math.round(lag), mib(buffered), admitted);
      listeners.forEach(Runnable::run);
    }
  }

  private void saturate(Cause why) {
    cause = why;
    calmSinceMs = -1;
    LOG.warn("node saturated ({}): taking no opens until it recovers; event-loop lag {} ms, buffered {},"
        + " reserved {} of {}, {} sessions admitted", why.wireName, Math.round(lagMs()), mib(bufferedBytes()),
        mib(reservedBytes()), mib(budgetBytes), admitted);
    listeners.forEach(Runnable::run);
  }

  /** The reply message of a refused open. */
  public synchronized String refusal(Cause why) {
    return switch (why) {
      case EVENT_LOOP_LAG -> "overloaded: the node's event loops lag " + Math.round(lagMs())
          + " ms (maxEventLoopLagMs " + maxLagMs + "); open again later or on another node";
      case BUFFERED_AUDIO -> "overloaded: the node's sessions buffer " + mib(bufferedBytes())
          + " of audio toward the gateway; open again later or on another node";
      case REPLAY_AUDIO -> "overloaded: the node's sessions keep " + mib(replayBytes())
          + " of sent audio that the gateway has not finalized; open again later or on another node";
      case AUDIO_BUDGET -> "overloaded: the node's audio budget of " + mib(budgetBytes) + " holds " + admitted
          + " sessions of " + mib(sessionBytes) + " worst case each and no more; open again later or on"
          + " another node";
      case ADMISSION_RATE -> "overloaded: the node admits at most " + admissionsPerSecond
          + " sessions a second (maxAdmissionsPerSecond) and has admitted its share; open again in a moment"
          + " or on another node";
      case MAX_SESSIONS -> "this node serves " + maxSessions + " sessions already (maxSessions)";
    };
  }

  @Override
  public synchronized boolean saturated() {
    return cause != null;
  }

  @Override
  public synchronized JsonObject status() {
    JsonObject status = new JsonObject().put("saturated", cause != null);
    if (cause != null) {
      status.put("cause", cause.wireName);
    }
    return status.put("eventLoopLagMs", Math.round(lagMs()))
        .put("bufferedBytes", bufferedBytes())
        .put("replayBytes", replayBytes())
        .put("reservedBytes", reservedBytes())
        .put("budgetBytes", budgetBytes)
        .put("sessionBytes", sessionBytes)
        .put("admittedSessions", admitted)
        .put("maxAdmittedSessions", budgetBytes / sessionBytes)
        .put("maxAdmissionsPerSecond", admissionsPerSecond)
        .put("refusedOpens", refused)
        .put("longestCurrentDeafMs", samples.values().stream().mapToLong(s -> s.deafForMs).max().orElse(0));
  }

  synchronized double lagMs() {
    double max = 0;
    for (Sample s : samples.values()) {
      max = Math.max(max, s.lagMs);
    }
    return max;
  }

  synchronized long bufferedBytes() {
    return samples.values().stream().mapToLong(s -> s.bufferedBytes).sum();
  }

  synchronized long replayBytes() {
    return samples.values().stream().mapToLong(s -> s.replayBytes).sum();
  }

  /** The budget the admitted sessions' worst cases take. */
  synchronized int admittedSessions() {
    return admitted;
  }

  synchronized long reservedBytes() {
    return admitted * sessionBytes;
  }

  long budgetBytes() {
    return budgetBytes;
  }

  private boolean roomForOneMore() {
    return reservedBytes() + sessionBytes <= budgetBytes;
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
