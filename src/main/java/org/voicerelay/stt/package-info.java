/**
 * Streaming speech-to-text for Vert.x over the LiveKit Inference STT protocol: the client
 * ({@code client}), the event-bus service ({@code bus}), the local gateway ({@code gateway}),
 * clustering ({@code cluster}), the browser page ({@code web}) and operations ({@code health}).
 *
 * <p>The module declaration lets Vert.x codegen generate the JSON converters of the options
 * classes ({@code @DataObject @JsonGen}), so that their JSON form cannot drift from their setters.
 */
@ModuleGen(name = "vertx-livekit-stt", groupPackage = "org.voicerelay.stt")
package org.voicerelay.stt;

import io.vertx.codegen.annotations.ModuleGen;
