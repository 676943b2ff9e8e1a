/**
 * The event-bus service, as its users see it: {@link org.voicerelay.stt.bus.SttVerticle} turns the
 * streaming client into a contract of JSON and Buffer messages, so that any verticle in any JVM
 * language, any node of a cluster, or a program behind the TCP bridge can transcribe without a Java
 * dependency. The contract (addresses, messages, {@link org.voicerelay.stt.bus.BusErrorCode failure
 * codes}, limits) is in {@code asyncapi/stt-eventbus.json}, kept true by the tests; its names are
 * constants in {@link org.voicerelay.stt.bus.BusContract}. Beside the verticle and its options:
 * {@link org.voicerelay.stt.bus.WindowedAudioSender} (a Java caller's paced audio),
 * {@link org.voicerelay.stt.bus.ResumableSession} (a transcription that outlives its node),
 * {@link org.voicerelay.stt.bus.AudioCodec} (local audio without the bus's copy) and
 * {@link org.voicerelay.stt.bus.NodeLoad} (whether the node takes new sessions).
 *
 * <p>How it works is in {@code bus.impl}, which users never import.
 */
package org.voicerelay.stt.bus;
