package org.voicerelay.stt.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.voicerelay.stt.bus.SttVerticle;

/** Reading a verticle's {@code /health} and {@code /ready} pages in tests. */
public final class HealthPages {

  /** The sockets that keep {@link #closedPort} ports refusing; they live as long as the test JVM. */
  private static final List<Socket> HELD = new CopyOnWriteArrayList<>();

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

  /**
   * A local port that refuses connections for the rest of the test run. A port closed again after
   * a listen is not enough: a later listener may take it, and Linux may pick it as the source port
   * of the very connect that probes it, which then connects to itself. Here a socket stays bound to
   * the port and never listens, so nothing else can have it and every connect is refused.
   */
  public static Future<Integer> closedPort(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      Socket holder = new Socket();
      holder.bind(new InetSocketAddress("127.0.0.1", 0));
      HELD.add(holder);
      return holder.getLocalPort();
    });
  }
}
