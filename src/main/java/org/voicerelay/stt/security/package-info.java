/**
 * Who may use the bridges and how links are protected: the one access rule of both event-bus
 * bridges ({@link org.voicerelay.stt.security.BridgeGuard}: a caller reaches only the sessions it
 * opened), optional JWT authentication of bridge callers
 * ({@link org.voicerelay.stt.security.BridgeAuthOptions}), per-caller quotas, and the TLS settings
 * of the listeners and of the clustered event bus ({@link org.voicerelay.stt.security.TlsOptions}).
 * It exists because the bridges are how programs outside the JVM reach the module, and a caller
 * must never read, feed or end another caller's session.
 */
package org.voicerelay.stt.security;
