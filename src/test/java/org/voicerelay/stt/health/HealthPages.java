package org.voicerelay.stt.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.voicerelay.stt.bus.SttVerticle;

/** Reading a verticle's {@code /health} and {@code /ready} pages in tests. */
public final class HealthPages {

  private HealthPages() {
  }

  /** GET {@code path} on the verticle's Prometheus endpoint. */
  public static Future<HttpResponse<Buffer>> get(Vertx vertx, SttVerticle verticle, String path) {
    return WebClient.create(vertx).get(verticle.prometheusPort(), "127.0.0.1", path).send();
  }

  /** The check {@code id} of a health page. */
  public static JsonObject check(HttpResponse<Buffer> response, String id) {
    JsonArray checks = response.bodyAsJsonObject().getJsonArray("checks");
    for (int i = 0; i < checks.size(); i++) {
      if (id.equals(checks.getJsonObject(i).getString("id"))) {
        return checks.getJsonObject(i);
      }
    }
    throw new AssertionError("no check " + id + " in " + response.bodyAsString());
  }

  /** A local port nothing listens on: it was free a moment ago and is closed again. */
  public static Future<Integer> closedPort(Vertx vertx) {
    return vertx.createNetServer().connectHandler(s -> { }).listen(0, "127.0.0.1")
        .compose(server -> server.close().map(v -> server.actualPort()));
  }
}
