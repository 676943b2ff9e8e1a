/**
 * The client's implementation; nothing here is needed by users. {@code SpeechStreamImpl} is the
 * connection's state machine; {@code AudioOutbox} holds the audio and the replay buffer,
 * {@code MaskedAudioFrame} makes a chunk the bytes of a whole WebSocket frame,
 * {@code FinishingSequence} what happens after {@code end()}, {@code GatewayBreaker} the circuit
 * breaker a client's streams share, {@code WebSocketInternals} the only use of Vert.x internals.
 */
package org.voicerelay.stt.client.impl;
