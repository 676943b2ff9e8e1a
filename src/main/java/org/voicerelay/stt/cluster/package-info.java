/**
 * Transcription across a Hazelcast cluster. The event-bus contract already works between nodes (a
 * session's addresses live on the node that opened it, events are published cluster-wide); this
 * package adds what a cluster needs on top: {@link org.voicerelay.stt.cluster.ClusterNode} joins
 * by TCP-IP from {@code conf/cluster.xml}, {@link org.voicerelay.stt.cluster.NodeLossWatcher}
 * publishes {@code closed} ({@code node_lost}) for the sessions of a node that died, and
 * {@link org.voicerelay.stt.cluster.ResumableSession} moves a caller's transcription to another
 * node without losing words.
 */
package org.voicerelay.stt.cluster;
