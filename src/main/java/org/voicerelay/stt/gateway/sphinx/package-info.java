/**
 * The local gateway's offline engine: CMU Sphinx4 with its bundled US-English model. Loading a model
 * costs seconds and hundreds of megabytes, so decoders are built once, kept on threads of their own
 * and lent to sessions in turn; the Vert.x side only ever queues audio.
 */
package org.voicerelay.stt.gateway.sphinx;
