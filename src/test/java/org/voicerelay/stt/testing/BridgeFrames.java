package org.voicerelay.stt.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a test's bridge client (the TCP bridge's or the SockJS endpoint's) does with frames, whatever
 * carries them: builds the frames it sends (with {@code "Authorization": "Bearer <token>"} when it
 * has one), keeps every frame it receives, and answers the futures waiting for one. On the
 * connection's context.
 */
public final class BridgeFrames {

  private record Waiter(Predicate<JsonObject> match, Promise<JsonObject> promise) {
  }

  private final List<JsonObject> received = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private String token;

  /** Sends this token (a JWT) in every frame that has an address from now on; null for none. */
  public void token(String token) {
    this.token = token;
  }

  /** A frame of {@code type} to {@code address}, with the token's header if there is one. */
  public JsonObject frame(String type, String address) {
    JsonObject frame = new JsonObject().put("type", type).put("address", address);
    if (token != null) {
      frame.put("headers", new JsonObject().put("Authorization", "Bearer " + token));
    }
    return frame;
  }

  /** The next frame, from now on, that {@code match}es. */
  public Future<JsonObject> next(Predicate<JsonObject> match) {
    Promise<JsonObject> promise = Promise.promise();
    waiters.add(new Waiter(match, promise));
    return promise.future();
  }

  /** Every frame received so far. */
  public List<JsonObject> received() {
    return new ArrayList<>(received);
  }

  /** A frame arrived: kept, and given to the waiters it matches. */
  public void onFrame(JsonObject frame) {
    received.add(frame);
    List<Waiter> matched = new ArrayList<>();
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter w = it.next();
      if (w.match().test(frame)) {
        it.remove();
        matched.add(w);
      }
    }
    // completing runs the test's next steps, which may add waiters: not while iterating
    matched.forEach(w -> w.promise().tryComplete(frame));
  }
}
