/**
 * PCM audio plumbing shared by the client and the local gateway: sample-rate conversion and
 * re-cutting into fixed-length chunks. No I/O, no Vert.x: plain arithmetic on pcm_s16le mono.
 */
package org.voicerelay.stt.audio;
