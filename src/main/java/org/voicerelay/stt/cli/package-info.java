/**
 * Programs behind {@code scripts/}: the main job ({@link org.voicerelay.stt.cli.Transcribe}), the
 * local gateway as a process ({@link org.voicerelay.stt.cli.GatewayMain}) and a cluster node
 * ({@link org.voicerelay.stt.cli.NodeMain}).
 * They only wire the library's verticles together; nothing here is needed to use the library.
 */
package org.voicerelay.stt.cli;
