/**
 * The engine SPI of the local gateway: what a speech engine implements
 * ({@link org.voicerelay.stt.gateway.engine.Recognizer},
 * {@link org.voicerelay.stt.gateway.engine.Recognition}) and what it reports back
 * ({@link org.voicerelay.stt.gateway.engine.RecognitionListener},
 * {@link org.voicerelay.stt.gateway.engine.Hypothesis}).
 *
 * <p>It has a package of its own so that the dependencies point one way: the gateway and each
 * engine (e.g. {@code gateway.sphinx}) depend on this package, an engine never on the gateway.
 */
package org.voicerelay.stt.gateway.engine;
