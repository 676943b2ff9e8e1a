/**
 * The event-bus service: {@link org.voicerelay.stt.bus.SttVerticle} turns the streaming client into
 * a contract of JSON and Buffer messages, so that any verticle in any JVM language, any node of a
 * cluster, or a program behind the TCP bridge can transcribe without a Java dependency. The
 * contract (addresses, messages, {@link org.voicerelay.stt.bus.BusErrorCode failure codes}, limits)
 * is in {@code asyncapi/stt-eventbus.json}, kept true by the tests.
 */
package org.voicerelay.stt.bus;
