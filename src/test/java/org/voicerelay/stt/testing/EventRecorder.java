package org.voicerelay.stt.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Collects the events published on one address, and tells when a chosen one arrives. Events
 * arrive on the consumer's event loop and may be read from any thread.
 */
public final class EventRecorder {

  public final List<JsonObject> events = new CopyOnWriteArrayList<>();
  private final MessageConsumer<JsonObject> consumer;
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

  private record Waiter(Predicate<JsonObject> match, Promise<JsonObject> promise) {
  }

  private EventRecorder(Vertx vertx, String address) {
    consumer = vertx.eventBus().consumer(address, m -> {
      JsonObject event = m.body();
      synchronized (this) {
        events.add(event);
        waiters.removeIf(w -> w.match.test(event) && w.promise.tryComplete(event));
      }
    });
  }

  public static Future<EventRecorder> on(Vertx vertx, String address) {
    EventRecorder recorder = new EventRecorder(vertx, address);
    return recorder.consumer.completion().map(recorder);
  }

  /** The first event (past or future) matching. */
  public synchronized Future<JsonObject> first(Predicate<JsonObject> match) {
    for (JsonObject e : events) {
      if (match.test(e)) {
        return Future.succeededFuture(e);
      }
    }
    Promise<JsonObject> p = Promise.promise();
    waiters.add(new Waiter(match, p));
    return p.future();
  }

  public Future<JsonObject> firstOfType(String type) {
    return first(e -> type.equals(e.getString("type")));
  }

  public Future<JsonObject> closed() {
    return firstOfType("closed");
  }

  public List<JsonObject> ofType(String type) {
    return events.stream().filter(e -> type.equals(e.getString("type"))).toList();
  }

  /** The {@code error} events that say the session goes on ({@code retryable}) or not. */
  public List<JsonObject> errors(boolean retryable) {
    return ofType("error").stream()
        .filter(e -> e.getJsonObject("error").getBoolean("retryable", false) == retryable).toList();
  }

  public List<String> types() {
    return events.stream().map(e -> e.getString("type")).toList();
  }

  public Future<Void> stop() {
    return consumer.unregister();
  }
}
