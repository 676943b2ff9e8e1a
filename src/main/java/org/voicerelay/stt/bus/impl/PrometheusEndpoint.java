package org.voicerelay.stt.bus.impl;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.voicerelay.stt.bus.PrometheusOptions;
import org.voicerelay.stt.bus.SttVerticleOptions;

/**
 * The Prometheus scrape endpoint: a plain HTTP server answering {@code GET <path>} with the text
 * exposition of a {@link PrometheusMeterRegistry}, and handing every other request to
 * {@code others} (the node's health checks).
 */
final class PrometheusEndpoint {

  private PrometheusEndpoint() {
  }

  /** The Prometheus registry inside {@code registry} (itself, or a member of a composite), else null. */
  static PrometheusMeterRegistry find(MeterRegistry registry) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return prometheus;
    }
    if (registry instanceof CompositeMeterRegistry composite) {
      for (MeterRegistry member : composite.getRegistries()) {
        PrometheusMeterRegistry found = find(member);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  static Future<HttpServer> start(Vertx vertx, PrometheusMeterRegistry registry, SttVerticleOptions options,
      Handler<HttpServerRequest> others) {
    PrometheusOptions prometheus = options.getMetrics().getPrometheus();
    String path = prometheus.getPath();
    try {
      prometheus.getTls().check("metrics.prometheus.tls", false);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return vertx.createHttpServer(prometheus.getTls().applyTo(new HttpServerOptions().setHost(prometheus.getHost())
            .setPort(prometheus.getPort())))
        .requestHandler(request -> {
          if (!path.equals(request.path())) {
            others.handle(request);
          } else {
            request.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape());
          }
        })
        .listen();
  }
}
