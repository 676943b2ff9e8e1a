/**
 * The event-bus service: {@link org.voicerelay.stt.bus.SttVerticle} turns the streaming client into
 * a contract of JSON and Buffer messages, so that any verticle in any JVM language, any node of a
 * cluster, or a program behind the TCP bridge can transcribe without a Java dependency. The
 * contract (addresses, messages, {@link org.voicerelay.stt.bus.BusErrorCode failure codes}, limits)
 * is in {@code asyncapi/stt-eventbus.json}, kept true by the tests; its names are constants in
 * {@link org.voicerelay.stt.bus.BusContract}. {@link org.voicerelay.stt.bus.WindowedAudioSender}
 * sends a session's audio with the contract's back-pressure (a window of unanswered chunks). A Java sender may add {@link org.voicerelay.stt.bus.AudioCodec}
 * to its audio messages, which spares the bus's copy of every Buffer; nobody has to. A node admits a session only while it can serve it
 * in real time ({@code AdmissionControl}; otherwise 503 {@code overloaded}), so the sessions it
 * has are never slowed down by new ones.
 *
 * <p>What holds with or without a cluster lives here too: {@link org.voicerelay.stt.bus.SessionDirectory}
 * makes an open's {@code sessionId} one session on every node and names every session's owner, and a {@code "resumable": true} open
 * gets a front on the caller's node that runs a {@link org.voicerelay.stt.bus.ResumableSession},
 * which moves the transcription to another session without losing words when its node goes away.
 */
package org.voicerelay.stt.bus;

import org.voicerelay.stt.bus.impl.AdmissionControl;

