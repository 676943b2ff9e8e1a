package org.voicerelay.stt.client;

/**
 * A transition of a {@link SpeechStream}'s connection, as published to
 * {@link SpeechStream#stateHandler}: one for every change of {@link StreamPhase}. {@code state} is
 * the phase's {@link StreamPhase#state()}, so it repeats when only the phase changed (the finishing
 * steps are all {@code FINISHING}).
 *
 * @param state the state the stream moved to
 * @param cause why, when a failure moved it ({@code WAITING_TO_RECONNECT} after a drop,
 *     {@code CLOSED} after failing for good), else null
 * @param phase the phase the stream moved to: tells {@code PARKED} from {@code BACKING_OFF}, and
 *     the finishing steps apart
 */
public record StreamStateEvent(StreamState state, SttException cause, StreamPhase phase) {

  public StreamStateEvent {
    if (phase != null && phase.state() != state) {
      throw new IllegalArgumentException("phase " + phase + " shows as " + phase.state() + ", not " + state);
    }
  }

  /** The transition into {@code phase}, its state derived from it. */
  public StreamStateEvent(StreamPhase phase, SttException cause) {
    this(phase.state(), cause, phase);
  }
}
