package org.voicerelay.stt.client;

/**
 * A transition of a {@link SpeechStream}'s connection, as published to
 * {@link SpeechStream#stateHandler}.
 *
 * @param state the state the stream moved to
 * @param cause why, when a failure moved it ({@code WAITING_TO_RECONNECT} after a drop,
 *     {@code CLOSED} after failing for good), else null
 */
public record StreamStateEvent(StreamState state, SttException cause) {
}
