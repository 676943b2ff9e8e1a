package org.voicerelay.stt.bus;

import io.vertx.core.json.JsonObject;

/**
 * How loaded a node is, for a health check or a load balancer. A saturated node takes no new
 * session (it stops consuming {@code <prefix>.open}) until it has recovered; the sessions it has
 * keep running. Safe to call from any thread.
 */
public interface NodeLoad {

  /** Whether the node currently refuses opens. */
  boolean saturated();

  /**
   * A snapshot: {@code saturated}, {@code cause} (when saturated: {@code event_loop_lag},
   * {@code buffered_audio}, {@code replay_audio} or {@code audio_budget}), {@code eventLoopLagMs},
   * {@code bufferedBytes}, {@code replayBytes},
   * {@code reservedBytes}, {@code budgetBytes}, {@code sessionBytes} (one session's worst case),
   * {@code admittedSessions}, {@code maxAdmittedSessions}, {@code maxAdmissionsPerSecond} and
   * {@code refusedOpens} (for every cause, the admission rate included).
   */
  JsonObject status();
}
