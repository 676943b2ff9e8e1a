package org.voicerelay.stt.client.impl;

/**
 * The parts of one stream its connection works with: the audio on its way ({@link AudioOutbox}),
 * what the caller hears ({@link StreamEvents}, {@link TranscriptAssembler}), the stream's
 * {@link Deafness} and its spans ({@link StreamTrace}). Each is confined to the stream's context.
 */
record StreamParts(String id, AudioOutbox outbox, StreamEvents events, TranscriptAssembler transcripts,
    Deafness deafness, StreamTrace trace) {
}
