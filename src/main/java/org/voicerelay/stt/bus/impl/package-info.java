/**
 * The machinery behind {@code bus}; not API. Read it in this order:
 * <ul>
 *   <li>A session: {@code SessionLifecycle} creates, admits, opens idempotently and stops every
 *       session of a verticle instance; a {@code SessionEndpoint} answers its addresses (the
 *       contract) and a {@code SessionBackend} recognizes: {@code StreamBackend} (one gateway
 *       WebSocket here) or {@code ResumableBackend} (a front that feeds sessions on any node, through
 *       {@code ResumableSessionImpl}). {@code ContractEvents} and {@code BusErrorCode.of} are the
 *       only places that word events and failures.</li>
 *   <li>A node: {@code SttNode} holds what a node has once (identity, {@code AdmissionControl},
 *       {@code SttMetrics}, the metrics and health server, the TCP bridge {@code ContractBridge});
 *       {@code OpenGate} takes opens only while the node admits.</li>
 *   <li>A cluster: {@code SessionDirectory} makes an id one session everywhere and names each
 *       session's owner; {@code NodeLossNotices} announces the sessions of a node that left;
 *       {@code CallerNodeRouting} sends a resumable open to its caller's node.</li>
 * </ul>
 */
package org.voicerelay.stt.bus.impl;
