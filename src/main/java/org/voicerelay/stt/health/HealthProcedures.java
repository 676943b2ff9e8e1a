package org.voicerelay.stt.health;

import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

/**
 * The checks a node is judged by, as vertx-health-check procedures. Each completes its promise with
 * a {@link Status} whose data says what was seen, never a secret.
 */
public final class HealthProcedures {

  /** How long the gateway probe waits for a TCP connection. */
  public static final int DEFAULT_CONNECT_TIMEOUT_MS = 2_000;

  private HealthProcedures() {
  }

  /**
   * Whether a TCP connection to the gateway of {@code baseUrl} ({@code http(s)} or {@code ws(s)},
   * default ports 80 and 443) opens. It says nothing about credentials: a gateway that refuses the
   * token is reachable, and the streams report {@code authentication_failed}.
   */
  public static Handler<Promise<Status>> gatewayReachable(Vertx vertx, String baseUrl) {
    URI uri;
    try {
      uri = URI.create(baseUrl);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null || uri.getHost() == null) {
      JsonObject error = new JsonObject().put("error", "not a gateway URL: " + baseUrl);
      return promise -> promise.tryComplete(Status.KO(error));
    }
    boolean secure = "https".equals(uri.getScheme()) || "wss".equals(uri.getScheme());
    String host = uri.getHost();
    int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
    JsonObject target = new JsonObject().put("host", host).put("port", port);
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(DEFAULT_CONNECT_TIMEOUT_MS));
    return promise -> client.connect(port, host)
        .onSuccess(socket -> {
          socket.close();
          promise.tryComplete(Status.OK(target));
        })
        .onFailure(e -> promise.tryComplete(Status.KO(target.copy().put("error", String.valueOf(e.getMessage())))));
  }

  /**
   * Whether this node is a member of its cluster: the cluster manager is active and lists this
   * node among the members. A node that has left, or whose Hazelcast instance stopped, is KO.
   */
  public static Handler<Promise<Status>> clusterMembership(ClusterManager clusterManager) {
    return promise -> {
      try {
        String self = clusterManager.getNodeId();
        List<String> members = clusterManager.isActive() ? clusterManager.getNodes() : List.of();
        JsonObject data = new JsonObject().put("nodeId", self).put("members", members.size());
        promise.tryComplete(members.contains(self) ? Status.OK(data) : Status.KO(data));
      } catch (RuntimeException e) {
        promise.tryComplete(Status.KO(new JsonObject().put("error", String.valueOf(e.getMessage()))));
      }
    };
  }

  /**
   * A procedure from a status that a component reports as JSON: {@code {"ok": true|false, ...}};
   * the other keys become the check's data. A supplier that throws, or a status without a boolean
   * {@code ok}, is KO. This is how components that do not depend on vertx-health-check (the
   * client's circuit breaker, the node's saturation) take part.
   */
  public static Handler<Promise<Status>> fromStatus(Supplier<JsonObject> status) {
    return promise -> {
      try {
        JsonObject reported = status.get();
        Boolean ok = reported == null ? null : reported.getBoolean("ok");
        JsonObject data = reported == null ? new JsonObject() : reported.copy();
        data.remove("ok");
        promise.tryComplete(Boolean.TRUE.equals(ok) ? Status.OK(data) : Status.KO(data));
      } catch (RuntimeException e) {
        promise.tryComplete(Status.KO(new JsonObject().put("error", String.valueOf(e.getMessage()))));
      }
    };
  }

  /** Registers {@link #fromStatus(Supplier)} under {@code name}. */
  public static HealthChecks register(HealthChecks checks, String name, Supplier<JsonObject> status) {
    return checks.register(name, fromStatus(status));
  }
}
