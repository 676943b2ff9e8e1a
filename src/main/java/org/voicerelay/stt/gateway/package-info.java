/**
 * The local gateway: LiveKit's Inference STT WebSocket protocol served on this machine, backed by
 * an offline engine instead of a cloud provider.
 *
 * <p>It exists so that the client, the event-bus service and any LiveKit client in another
 * language can run, be tested and be benchmarked without network access or an account: point the
 * base URL at {@link org.voicerelay.stt.gateway.LocalGatewayVerticle} and nothing else changes.
 * Engines plug in behind {@link org.voicerelay.stt.gateway.engine.Recognizer}; the deterministic
 * {@link org.voicerelay.stt.gateway.CountingRecognizer} makes lost or reordered audio visible.
 * Error codes are in {@link org.voicerelay.stt.gateway.GatewayErrorCode}.
 */
package org.voicerelay.stt.gateway;
