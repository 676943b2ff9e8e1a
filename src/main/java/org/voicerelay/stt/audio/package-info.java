/**
 * PCM audio shared by the client, the event-bus service and the local gateway:
 * {@link org.voicerelay.stt.audio.AudioFormat} (pcm_s16le mono at 8000..192000 Hz, so all three
 * accept and refuse the same audio), sample-rate conversion, re-cutting into fixed-length chunks,
 * WAV parsing and word error rate. A layer beside {@code protocol}, not inside it: the client and
 * the gateway both need it and neither may depend on the other. No sockets, no files, no event
 * loop: plain arithmetic on bytes in memory.
 */
package org.voicerelay.stt.audio;
