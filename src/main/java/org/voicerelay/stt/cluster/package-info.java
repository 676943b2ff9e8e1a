/**
 * Transcription across a Hazelcast cluster. The event-bus contract already works between nodes (a
 * session's addresses live on the node that opened it, events are published cluster-wide), and the
 * bus layer already makes an id one session cluster-wide and moves resumable sessions
 * ({@link org.voicerelay.stt.bus.SessionDirectory}, {@link org.voicerelay.stt.bus.ResumableSession});
 * this package adds what needs Hazelcast: {@link org.voicerelay.stt.cluster.ClusterNode} joins by
 * TCP-IP from {@code conf/cluster.xml}, and {@link org.voicerelay.stt.cluster.NodeLossWatcher}
 * publishes {@code closed} ({@code node_lost}) for the sessions of a node that died and frees its
 * session ids.
 */
package org.voicerelay.stt.cluster;
