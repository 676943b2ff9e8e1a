/**
 * The Java client of the LiveKit Inference STT gateway, usable without the event bus.
 *
 * <p>{@link org.voicerelay.stt.client.SttClient} holds options and credentials;
 * {@link org.voicerelay.stt.client.SpeechStream} is one transcription: a {@code WriteStream<Buffer>}
 * of pcm_s16le audio in and a {@code ReadStream<SpeechEvent>} of events out, so
 * {@code file.pipeTo(stream)} works with back-pressure. Each stream owns one WebSocket, watches it
 * with pings, and reconnects on a Vert.x timer within a retry window (backoff with a floor and
 * jitter), resending the audio the gateway had not finalized, so a drop costs no words. The streams of one
 * client share a circuit breaker, so an outage does not turn a fleet of streams into a storm.
 */
package org.voicerelay.stt.client;
