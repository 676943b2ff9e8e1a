package org.voicerelay.stt.client.impl;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import org.voicerelay.stt.protocol.AccessToken;

/**
 * What every stream of one client reaches the gateway with: the client's WebSocket client, its
 * access tokens, its identification headers and its circuit breaker, all shared by the streams.
 */
record GatewayAccess(Vertx vertx, WebSocketClient webSockets, AccessToken tokens,
    IdentificationHeaders identification, GatewayBreaker breaker) {
}
