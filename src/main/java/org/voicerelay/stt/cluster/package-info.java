/**
 * Transcription across a Hazelcast cluster. The event-bus contract already works between nodes (a
 * session's addresses live on the node that opened it, events are published cluster-wide); this
 * package adds what a cluster needs on top: {@link org.voicerelay.stt.cluster.ClusterNode} joins
 * by TCP-IP from {@code conf/cluster.xml}, {@link org.voicerelay.stt.cluster.NodeLossWatcher}
 * publishes {@code closed} ({@code node_lost}) for the sessions of a node that died,
 * {@link org.voicerelay.stt.cluster.SessionClaims} makes an open's {@code sessionId} one session in
 * the whole cluster, {@link org.voicerelay.stt.cluster.ResumableSession} moves a Java caller's
 * transcription to another node without losing words, and
 * {@link org.voicerelay.stt.cluster.ResumableFronts} does the same for every caller of a
 * {@code "resumable": true} open: a front on the caller's node runs a {@code ResumableSession} for it.
 */
package org.voicerelay.stt.cluster;
