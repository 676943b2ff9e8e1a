package org.voicerelay.stt.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.bus.impl.SttMetrics;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;
import org.voicerelay.stt.testing.TestStack;

/** The verticle's meters count what happens on the bus, and Prometheus can scrape them. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SttMetricsTest {

  @Test
  void aSessionIsMeteredFromOpenToClose(Vertx vertx, VertxTestContext ctx) {
    MeterRegistry registry = new SimpleMeterRegistry();
    TestStack.builder().meterRegistry(registry).deploy(vertx).compose(stack -> stack.open(new JsonObject())
        .compose(session -> {
          ctx.verify(() -> assertEquals(1.0, registry.get(SttMetrics.SESSIONS_OPEN).gauge().value()));
          vertx.eventBus().send(session.getString("audioAddress"), Buffer.buffer(new byte[3]));
          return stack.audio(session, Fixtures.tone(32000))
              .compose(r -> stack.control(session, "end"));
        }))
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals(0.0, registry.get(SttMetrics.SESSIONS_OPEN).gauge().value());
          assertEquals(1.0, registry.get(SttMetrics.SESSIONS_OPENED).counter().count());
          assertEquals(1.0, registry.get(SttMetrics.SESSIONS_CLOSED).tag("reason", "ended").counter().count());
          assertEquals(1.0, registry.get(SttMetrics.AUDIO_RECEIVED).counter().count(), 1e-9);
          assertEquals(20.0, registry.get(SttMetrics.FRAMES_SENT).counter().count());
          assertEquals(1.0, registry.get(SttMetrics.TRANSCRIPTS).tag("type", "final_transcript").counter().count());
          assertEquals(1.0, registry.get(SttMetrics.ERRORS).tag("code", "invalid_audio").counter().count());
          assertEquals(1, registry.get(SttMetrics.FINAL_LATENCY).timer().count());
          ctx.completeNow();
        })));
  }

  @Test
  void thePrometheusEndpointServesTheMeters(Vertx vertx, VertxTestContext ctx) {
    TestStack.builder().verticle(o -> o.setMetrics(Fixtures.prometheusOnLoopback())).deploy(vertx)
        .compose(stack -> stack.open(new JsonObject()).map(stack))
        .compose(stack -> vertx.createHttpClient()
            .request(HttpMethod.GET, stack.verticle.prometheusPort(), "127.0.0.1", "/metrics")
            .compose(request -> request.send())
            .compose(response -> {
              ctx.verify(() -> assertEquals(200, response.statusCode()));
              return response.body();
            }))
        .onComplete(ctx.succeeding(body -> ctx.verify(() -> {
          String text = body.toString();
          assertTrue(text.contains("stt_sessions_opened_total 1.0"), text);
          assertTrue(text.contains("stt_sessions_open 1.0"), text);
          ctx.completeNow();
        })));
  }

  @Test
  void twoInstancesWithoutMicrometerShareOneNodeAndEveryScrapeCountsTheSessionsOfBoth(Vertx vertx,
      VertxTestContext ctx) {
    LocalGatewayVerticle gateway = Fixtures.countingGateway();
    List<SttVerticle> instances = new CopyOnWriteArrayList<>();
    vertx.deployVerticle(gateway)
        .compose(id -> vertx.deployVerticle(() -> {
          SttVerticle instance = new SttVerticle(new SttVerticleOptions()
              .setClient(Fixtures.clientOptions(gateway.actualPort()))
              .setAdmission(Fixtures.relaxedAdmission())
              // the sessions are still open when the test's Vert.x closes the gateway beside them
              .setShutdownTimeoutMs(500)
              .setMetrics(Fixtures.prometheusOnLoopback()));
          instances.add(instance);
          return instance;
        }, new DeploymentOptions().setInstances(2)))
        .compose(id -> {
          List<Future<?>> opens = new ArrayList<>();
          for (int i = 0; i < 4; i++) {
            opens.add(vertx.eventBus().request("stt.open", new JsonObject()));
          }
          return Future.all(opens);
        })
        .compose(opened -> {
          ctx.verify(() -> {
            assertEquals(2, instances.size());
            assertEquals(instances.get(0).prometheusPort(), instances.get(1).prometheusPort(), "one server");
          });
          List<Future<String>> scrapes = new ArrayList<>();
          for (int i = 0; i < 4; i++) {
            scrapes.add(vertx.createHttpClient()
                .request(HttpMethod.GET, instances.get(0).prometheusPort(), "127.0.0.1", "/metrics")
                .compose(request -> request.send()).compose(response -> response.body()).map(Buffer::toString));
          }
          return Future.all(scrapes).map(all -> all.<String>list());
        })
        .onComplete(ctx.succeeding(scrapes -> ctx.verify(() -> {
          for (SttVerticle instance : instances) {
            assertEquals(2, instance.sessionIds().size(), "the bus spreads the opens over both instances");
          }
          for (String text : scrapes) {
            assertTrue(text.contains("stt_sessions_opened_total 4.0"), text);
            assertTrue(text.contains("stt_sessions_open 4.0"), text);
          }
          ctx.completeNow();
        })));
  }

  private Vertx metered;

  @AfterEach
  void closeMeteredVertx() throws Exception {
    if (metered != null) {
      metered.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withVertxMicrometerMetricsTheVerticleUsesItsRegistry(VertxTestContext ctx) {
    metered = Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true).setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))));
    TestStack.builder().deploy(metered).onComplete(ctx.succeeding(stack -> ctx.verify(() -> {
      assertSame(BackendRegistries.getDefaultNow(), stack.verticle.meterRegistry());
      ctx.completeNow();
    })));
  }
}
