/**
 * Starting a node of a Hazelcast cluster. The event-bus contract already works between nodes (a
 * session's addresses live on the node that opened it, events are published cluster-wide), and the
 * bus layer already makes an id one session cluster-wide, moves resumable sessions and announces
 * the sessions of a node that died; this package adds only what needs Hazelcast:
 * {@link org.voicerelay.stt.cluster.ClusterNode} joins by TCP-IP from {@code conf/cluster.xml}.
 */
package org.voicerelay.stt.cluster;
