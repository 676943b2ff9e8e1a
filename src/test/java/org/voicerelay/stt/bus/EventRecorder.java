package org.voicerelay.stt.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Collects the events published on one address, and tells when a chosen one arrives. */
final class EventRecorder {

  final List<JsonObject> events = new ArrayList<>();
  private final MessageConsumer<JsonObject> consumer;
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(Predicate<JsonObject> match, Promise<JsonObject> promise) {
  }

  private EventRecorder(Vertx vertx, String address) {
    consumer = vertx.eventBus().consumer(address, m -> {
      JsonObject event = m.body();
      events.add(event);
      waiters.removeIf(w -> w.match.test(event) && w.promise.tryComplete(event));
    });
  }

  static Future<EventRecorder> on(Vertx vertx, String address) {
    EventRecorder recorder = new EventRecorder(vertx, address);
    return recorder.consumer.completion().map(recorder);
  }

  /** The first event (past or future) matching. */
  Future<JsonObject> first(Predicate<JsonObject> match) {
    for (JsonObject e : events) {
      if (match.test(e)) {
        return Future.succeededFuture(e);
      }
    }
    Promise<JsonObject> p = Promise.promise();
    waiters.add(new Waiter(match, p));
    return p.future();
  }

  Future<JsonObject> firstOfType(String type) {
    return first(e -> type.equals(e.getString("type")));
  }

  Future<JsonObject> closed() {
    return firstOfType("closed");
  }

  List<JsonObject> ofType(String type) {
    return events.stream().filter(e -> type.equals(e.getString("type"))).toList();
  }

  List<String> types() {
    return events.stream().map(e -> e.getString("type")).toList();
  }

  Future<Void> stop() {
    return consumer.unregister();
  }
}
