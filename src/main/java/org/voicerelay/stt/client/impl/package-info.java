/**
 * The client's implementation; nothing here is needed by users. {@code SpeechStreamImpl} is a
 * stream as its caller sees it, {@code StreamConnection} its connection's state machine (a
 * {@code StreamPhase}, one intent flag, one timer), {@code Finishing} the deadlines after
 * {@code end()}, {@code GatewayConnection} one connection and its socket, {@code GatewayMessages}
 * what the gateway says on it,
 * {@code ConnectionLiveness} whether the gateway is still there, {@code ReconnectPolicy} the
 * retry budget, {@code AudioOutbox} the audio and the replay buffer, {@code MaskedAudioFrame} a
 * chunk as the bytes of a whole WebSocket frame, {@code GatewayBreaker} the circuit breaker a
 * client's streams share, {@code VertxInternals} the only use of Vert.x internals.
 */
package org.voicerelay.stt.client.impl;
