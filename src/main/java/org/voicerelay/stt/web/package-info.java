/**
 * The opt-in web endpoint: {@link org.voicerelay.stt.web.WebVerticle} serves a page that streams a
 * browser's microphone to the {@code SttVerticle} over the SockJS event-bus bridge and shows the
 * transcripts. It exists because the people who talk to Vert.x applications speak into browsers;
 * the bridge is kept a security boundary, so that a page reaches only the sessions it opened.
 */
package org.voicerelay.stt.web;
