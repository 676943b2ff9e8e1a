package org.voicerelay.stt.health;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * A node's two health questions, answered over HTTP next to {@code /metrics}:
 * <ul>
 *   <li>{@code GET /health}, liveness: is the process sane? Its one check, {@code event-loop},
 *       passes when the node's event loop runs it in time, so a blocked loop makes it fail.</li>
 *   <li>{@code GET /ready}, readiness: can the node take sessions now? Checks are added by what
 *       the node runs: {@code gateway-reachable}, {@code circuit-breaker}, {@code node-saturation},
 *       {@code cluster-membership}, and any status registered through
 *       {@link HealthProcedures#register}.</li>
 * </ul>
 * Both answer 200 with {@code {"status":"UP","checks":[...]}} when every check passes, else 503
 * with {@code "DOWN"} and the failing checks' data (vertx-web's {@link HealthCheckHandler}).
 */
public final class NodeHealth {

  public static final String LIVENESS_PATH = "/health";
  public static final String READINESS_PATH = "/ready";

  private final HealthChecks liveness;
  private final HealthChecks readiness;

  private NodeHealth(HealthChecks liveness, HealthChecks readiness) {
    this.liveness = liveness;
    this.readiness = readiness;
  }

  public static NodeHealth create(Vertx vertx) {
    HealthChecks liveness = HealthChecks.create(vertx)
        .register("event-loop", promise -> promise.complete(Status.OK(new JsonObject())));
    return new NodeHealth(liveness, HealthChecks.create(vertx));
  }

  /** Liveness checks ({@value #LIVENESS_PATH}). */
  public HealthChecks liveness() {
    return liveness;
  }

  /** Readiness checks ({@value #READINESS_PATH}); register more here. */
  public HealthChecks readiness() {
    return readiness;
  }

  /** Serves {@value #LIVENESS_PATH} and {@value #READINESS_PATH}; mount it beside other routes or use it as a request handler. */
  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get(LIVENESS_PATH).handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get(READINESS_PATH).handler(HealthCheckHandler.createWithHealthChecks(readiness));
    return router;
  }
}
