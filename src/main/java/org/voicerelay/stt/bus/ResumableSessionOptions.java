package org.voicerelay.stt.bus;

import org.voicerelay.stt.audio.AudioFormat;
import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.util.Objects;
import org.voicerelay.stt.config.JsonTypes;

/**
 * Options of a {@link ResumableSession}: what to open, how audio is paced, how much audio is kept
 * for a replay and how hard to try to reopen.
 *
 * <p>JSON shape (every key optional):
 * <pre>
 * {"prefix":"stt", "open":{"model":..,"language":..,"extra":{..}}, "sampleRate":16000,
 *  "eventsAddress":null, "window":4, "sendTimeoutMs":10000, "maxReplayBytes":1920000,
 *  "openAttempts":10, "reopenDelayMs":500}
 * </pre>
 */
@DataObject
@JsonGen(publicConverter = false)
public class ResumableSessionOptions {

  public static final String DEFAULT_PREFIX = BusContract.DEFAULT_PREFIX;
  /** The rate of the audio the caller writes (pcm_s16le mono). */
  public static final int DEFAULT_SAMPLE_RATE = 16_000;
  /** Unanswered audio requests in flight: enough to keep the path busy, few enough to be paced by it. */
  public static final int DEFAULT_WINDOW = 4;
  /**
   * How long an audio or control request may go unanswered before the session is taken for lost.
   * Above the verticle's held-reply time under back-pressure, well below the bus default of 30 s.
   */
  public static final long DEFAULT_SEND_TIMEOUT_MS = 10_000;
  /** Audio kept since the last final transcript: 60 s at 16 kHz. Beyond it the oldest sent audio is dropped. */
  public static final int DEFAULT_MAX_REPLAY_BYTES = 60 * 16_000 * 2;
  /** Opens tried in a row before the session gives up (each lands on whichever node takes it). */
  public static final int DEFAULT_OPEN_ATTEMPTS = 10;
  /** Pause between open attempts: long enough for the cluster to forget a dead node's addresses. */
  public static final long DEFAULT_REOPEN_DELAY_MS = 500;

  private String prefix = DEFAULT_PREFIX;
  private JsonObject open = new JsonObject();
  private int sampleRate = DEFAULT_SAMPLE_RATE;
  private String eventsAddress;
  private int window = DEFAULT_WINDOW;
  private long sendTimeoutMs = DEFAULT_SEND_TIMEOUT_MS;
  private int maxReplayBytes = DEFAULT_MAX_REPLAY_BYTES;
  private int openAttempts = DEFAULT_OPEN_ATTEMPTS;
  private long reopenDelayMs = DEFAULT_REOPEN_DELAY_MS;

  public ResumableSessionOptions() {
  }

  public ResumableSessionOptions(ResumableSessionOptions other) {
    this.prefix = other.prefix;
    this.open = other.open.copy();
    this.sampleRate = other.sampleRate;
    this.eventsAddress = other.eventsAddress;
    this.window = other.window;
    this.sendTimeoutMs = other.sendTimeoutMs;
    this.maxReplayBytes = other.maxReplayBytes;
    this.openAttempts = other.openAttempts;
    this.reopenDelayMs = other.reopenDelayMs;
  }

  /** @throws IllegalArgumentException if a value is out of range or of the wrong JSON type */
  public ResumableSessionOptions(JsonObject json) {
    ResumableSessionOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "resumable."), this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    ResumableSessionOptionsConverter.toJson(this, json);
    // the converter hands out the options' own object
    return json.put("open", open.copy());
  }

  public String getPrefix() {
    return prefix;
  }

  public ResumableSessionOptions setPrefix(String prefix) {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("prefix must not be empty");
    }
    this.prefix = prefix;
    return this;
  }

  public JsonObject getOpen() {
    return open;
  }

  /**
   * The open request of every session ({@code model}, {@code language}, {@code extra},
   * {@code fallback}); {@code sampleRate}, {@code sessionId} and {@code eventsAddress} are set by
   * the helper.
   */
  public ResumableSessionOptions setOpen(JsonObject open) {
    this.open = Objects.requireNonNull(open, "open").copy();
    return this;
  }

  public int getSampleRate() {
    return sampleRate;
  }

  public ResumableSessionOptions setSampleRate(int sampleRate) {
    this.sampleRate = AudioFormat.requireSupportedSampleRate("resumable.sampleRate", sampleRate);
    return this;
  }

  public String getEventsAddress() {
    return eventsAddress;
  }

  /**
   * Where every session of the helper publishes (an allowed prefix such as {@code app.}), so
   * listeners elsewhere keep one address across a resume; unset: each session's own address.
   */
  public ResumableSessionOptions setEventsAddress(String eventsAddress) {
    this.eventsAddress = eventsAddress == null || eventsAddress.isBlank() ? null : eventsAddress;
    return this;
  }

  public int getWindow() {
    return window;
  }

  public ResumableSessionOptions setWindow(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, got " + window);
    }
    this.window = window;
    return this;
  }

  public long getSendTimeoutMs() {
    return sendTimeoutMs;
  }

  public ResumableSessionOptions setSendTimeoutMs(long sendTimeoutMs) {
    if (sendTimeoutMs < 1) {
      throw new IllegalArgumentException("sendTimeoutMs must be >= 1, got " + sendTimeoutMs);
    }
    this.sendTimeoutMs = sendTimeoutMs;
    return this;
  }

  public int getMaxReplayBytes() {
    return maxReplayBytes;
  }

  /** Sent audio kept for a replay, since the last final transcript; unsent audio is always kept. */
  public ResumableSessionOptions setMaxReplayBytes(int maxReplayBytes) {
    if (maxReplayBytes < 0) {
      throw new IllegalArgumentException("maxReplayBytes must be >= 0, got " + maxReplayBytes);
    }
    this.maxReplayBytes = maxReplayBytes;
    return this;
  }

  public int getOpenAttempts() {
    return openAttempts;
  }

  public ResumableSessionOptions setOpenAttempts(int openAttempts) {
    if (openAttempts < 1) {
      throw new IllegalArgumentException("openAttempts must be >= 1, got " + openAttempts);
    }
    this.openAttempts = openAttempts;
    return this;
  }

  public long getReopenDelayMs() {
    return reopenDelayMs;
  }

  public ResumableSessionOptions setReopenDelayMs(long reopenDelayMs) {
    if (reopenDelayMs < 1) {
      throw new IllegalArgumentException("reopenDelayMs must be >= 1, got " + reopenDelayMs);
    }
    this.reopenDelayMs = reopenDelayMs;
    return this;
  }

  @Override
  public String toString() {
    return "ResumableSessionOptions" + toJson().encode();
  }
}
