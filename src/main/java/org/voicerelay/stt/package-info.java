/**
 * Streaming speech-to-text for Vert.x over the LiveKit Inference STT protocol: the wire protocol
 * ({@code protocol}) and audio ({@code audio}) layers, the client ({@code client}), the event-bus
 * service ({@code bus}), the local gateway ({@code gateway}, engine SPI {@code gateway.engine}),
 * clustering ({@code cluster}), tracing ({@code tracing}), the browser page ({@code web}), configuration ({@code config}),
 * health checks ({@code health}) and the programs behind {@code scripts/} ({@code cli}).
 *
 * <p>The module declaration lets Vert.x codegen generate the JSON converters of the options
 * classes ({@code @DataObject @JsonGen}), so that their JSON form cannot drift from their setters.
 */
@ModuleGen(name = "vertx-livekit-stt", groupPackage = "org.voicerelay.stt")
package org.voicerelay.stt;

import io.vertx.codegen.annotations.ModuleGen;
