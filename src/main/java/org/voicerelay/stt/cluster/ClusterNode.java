package org.voicerelay.stt.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.voicerelay.stt.internal.ClusterView;

/**
 * A clustered Vert.x instance on Hazelcast, configured from {@link ClusterOptions}: the event bus
 * listens on the cluster host so the other nodes can reach it, and the Hazelcast member joins by
 * TCP-IP. Tells the bus layer its cluster manager, whose member list the
 * verticle reads to announce the sessions of lost nodes.
 */
public final class ClusterNode {

  private final Vertx vertx;
  private final HazelcastClusterManager clusterManager;

  private ClusterNode(Vertx vertx, HazelcastClusterManager clusterManager) {
    this.vertx = vertx;
    this.clusterManager = clusterManager;
  }

  /**
   * Joins the cluster; reads the Hazelcast config file first, so call it off any event loop. On
   * Linux with {@code netty-transport-native-epoll} on the class path the node runs on epoll
   * (docs/operations.md, "Transport").
   */
  public static Future<ClusterNode> start(ClusterOptions options) {
    return start(options, new VertxOptions().setPreferNativeTransport(true));
  }

  /** As {@link #start(ClusterOptions)}, with these Vert.x options (their event-bus host and port are replaced). */
  public static Future<ClusterNode> start(ClusterOptions options, VertxOptions vertxOptions) {
    return start(options, vertxOptions, null);
  }

  /**
   * As above, with Vert.x tracing by {@code tracer} (null: none, or the one {@code vertxOptions}'
   * tracing options find), e.g. {@code new OpenTelemetryTracingFactory(openTelemetry)}
   * (docs/operations.md, "Tracing").
   */
  public static Future<ClusterNode> start(ClusterOptions options, VertxOptions vertxOptions, VertxTracerFactory tracer) {
    Config config;
    try {
      options.getTls().check("cluster.tls", true);
      config = HazelcastClusterConfig.create(options);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(config);
    VertxOptions withEventBus = new VertxOptions(vertxOptions);
    withEventBus.setMetricsOptions(vertxOptions.getMetricsOptions()); // the copy keeps only the base class of Micrometer's options
    withEventBus.getEventBusOptions()
        .setHost(options.getEventBusHost() != null ? options.getEventBusHost() : options.getHost())
        .setPort(options.getEventBusPort());
    options.getTls().applyTo(withEventBus.getEventBusOptions());
    VertxBuilder builder = Vertx.builder().with(withEventBus).withClusterManager(clusterManager);
    return (tracer == null ? builder : builder.withTracer(tracer)).buildClustered()
        .map(vertx -> {
          ClusterView.register(vertx, clusterManager);
          return new ClusterNode(vertx, clusterManager);
        });
  }

  public Vertx vertx() {
    return vertx;
  }

  public HazelcastClusterManager clusterManager() {
    return clusterManager;
  }

  /** This node's id in the cluster (the Vert.x node id). */
  public String nodeId() {
    return clusterManager.getNodeId();
  }

  public HazelcastInstance hazelcast() {
    return clusterManager.getHazelcastInstance();
  }

  /** Undeploys everything (sessions end cleanly) and leaves the cluster. */
  public Future<Void> close() {
    return vertx.close();
  }
}
