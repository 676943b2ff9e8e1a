/**
 * The LiveKit Inference STT wire protocol: JSON frames as Jackson-mapped records, the access
 * token (issued by the client, verified by the local gateway), model names and fallback models,
 * and URL resolution.
 *
 * <p>Pure and socket-free, so the client and the local gateway speak exactly the same messages
 * and cannot drift apart. Field names here are the wire's snake_case; the event bus uses camelCase.
 */
package org.voicerelay.stt.protocol;
