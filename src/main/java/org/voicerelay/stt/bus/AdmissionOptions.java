package org.voicerelay.stt.bus;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.config.JsonTypes;

/**
 * When a node takes new sessions ({@code admission} in {@link SttVerticleOptions}; see
 * {@code docs/operations.md}): its audio budget, the event-loop lag that saturates it, how long it
 * must stay calm to recover, and how fast it admits.
 *
 * <p>JSON: {@code {"nodeAudioBudgetBytes":0, "maxEventLoopLagMs":200, "admissionRecoveryMs":3000,
 * "maxAdmissionsPerSecond":50}}, every key optional.
 */
@DataObject
@JsonGen(publicConverter = false)
public class AdmissionOptions {

  /** 0: the node audio budget is {@link #DEFAULT_AUDIO_BUDGET_HEAP_SHARE} of the JVM's max heap. */
  public static final long DEFAULT_NODE_AUDIO_BUDGET_BYTES = 0;
  /** Share of the max heap the node audio budget takes when {@code nodeAudioBudgetBytes} is 0. */
  public static final double DEFAULT_AUDIO_BUDGET_HEAP_SHARE = 0.5;
  /** Smoothed lateness of the event loops above which the node is saturated. */
  public static final long DEFAULT_MAX_EVENT_LOOP_LAG_MS = 200;
  /** How long every measure must stay below half its mark before a saturated node admits again. */
  public static final long DEFAULT_ADMISSION_RECOVERY_MS = 3_000;
  /**
   * Sessions a node admits per second at most (a bucket holding one second's worth): a session
   * costs CPU only once its WebSocket is up, so the lag shows an overload only after a while.
   */
  public static final int DEFAULT_MAX_ADMISSIONS_PER_SECOND = 50;

  private long nodeAudioBudgetBytes = DEFAULT_NODE_AUDIO_BUDGET_BYTES;
  private long maxEventLoopLagMs = DEFAULT_MAX_EVENT_LOOP_LAG_MS;
  private long admissionRecoveryMs = DEFAULT_ADMISSION_RECOVERY_MS;
  private int maxAdmissionsPerSecond = DEFAULT_MAX_ADMISSIONS_PER_SECOND;

  public AdmissionOptions() {
  }

  public AdmissionOptions(AdmissionOptions other) {
    this.nodeAudioBudgetBytes = other.nodeAudioBudgetBytes;
    this.maxEventLoopLagMs = other.maxEventLoopLagMs;
    this.admissionRecoveryMs = other.admissionRecoveryMs;
    this.maxAdmissionsPerSecond = other.maxAdmissionsPerSecond;
  }

  /** @throws IllegalArgumentException if a value is out of range or of the wrong JSON type */
  public AdmissionOptions(JsonObject json) {
    AdmissionOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "admission."), this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    AdmissionOptionsConverter.toJson(this, json);
    return json;
  }

  public long getNodeAudioBudgetBytes() {
    return nodeAudioBudgetBytes;
  }

  /**
   * Bytes of buffered and replay audio the whole node may hold. A session is admitted only while
   * its worst case ({@code maxBufferedBytes} plus the client's replay buffer) fits beside the worst
   * cases of the sessions already admitted, so the audio never outgrows the heap. 0: half of the
   * max heap ({@link #DEFAULT_AUDIO_BUDGET_HEAP_SHARE}).
   */
  public AdmissionOptions setNodeAudioBudgetBytes(long nodeAudioBudgetBytes) {
    if (nodeAudioBudgetBytes < 0) {
      throw new IllegalArgumentException("nodeAudioBudgetBytes must be >= 0 (0: half of the max heap), got "
          + nodeAudioBudgetBytes);
    }
    this.nodeAudioBudgetBytes = nodeAudioBudgetBytes;
    return this;
  }

  public long getMaxEventLoopLagMs() {
    return maxEventLoopLagMs;
  }

  /** The smoothed lateness of a 100 ms timer on the event loops above which the node takes no opens. */
  public AdmissionOptions setMaxEventLoopLagMs(long maxEventLoopLagMs) {
    if (maxEventLoopLagMs < 1) {
      throw new IllegalArgumentException("maxEventLoopLagMs must be >= 1, got " + maxEventLoopLagMs);
    }
    this.maxEventLoopLagMs = maxEventLoopLagMs;
    return this;
  }

  public long getAdmissionRecoveryMs() {
    return admissionRecoveryMs;
  }

  /** How long every measure must stay below half its mark before a saturated node takes opens again. */
  public AdmissionOptions setAdmissionRecoveryMs(long admissionRecoveryMs) {
    if (admissionRecoveryMs < 0) {
      throw new IllegalArgumentException("admissionRecoveryMs must be >= 0, got " + admissionRecoveryMs);
    }
    this.admissionRecoveryMs = admissionRecoveryMs;
    return this;
  }

  public int getMaxAdmissionsPerSecond() {
    return maxAdmissionsPerSecond;
  }

  /** Sessions the node admits per second at most; 0: no limit. */
  public AdmissionOptions setMaxAdmissionsPerSecond(int maxAdmissionsPerSecond) {
    if (maxAdmissionsPerSecond < 0) {
      throw new IllegalArgumentException("maxAdmissionsPerSecond must be >= 0 (0: no limit), got "
          + maxAdmissionsPerSecond);
    }
    this.maxAdmissionsPerSecond = maxAdmissionsPerSecond;
    return this;
  }
}
