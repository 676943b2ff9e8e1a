package org.voicerelay.stt.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One session per id in the whole cluster. Before a node creates a session for a caller's
 * {@code sessionId} it claims the id in a cluster-wide map ({@code putIfAbsent}; on a node
 * without a cluster the same map is local); only the winner creates, and every other open of the
 * id, on any node and verticle instance, answers with the winner's open reply, or
 * {@link BusErrorCode#SESSION_CLOSED} once that session is over. A claim names its owner node: the
 * owner gives it back {@code closedSessionLingerMs} after the session closed (so a late open still
 * learns the session ended), all of them when it undeploys, and the claims of a node that left the
 * cluster are removed by the survivors ({@link #releaseNode}) or by the next open that meets one.
 *
 * <p>A claim is {@code {"owner","token","state":"opening"|"open"|"closed","reply"}}; a loser that
 * meets {@code opening} looks again every few milliseconds until the winner has its addresses
 * registered, so the reply it passes on is never ahead of the session.
 */
public final class SessionClaims {

  /** The cluster-wide map of claims, one per address prefix. */
  public static final String MAP_PREFIX = "__stt.claims.";
  /** How often a loser looks whether the winner's session is open yet. */
  private static final long LOOK_AGAIN_MS = 20;
  /** A claim outlives the session's linger by this much, so its addresses are gone before the id is free. */
  private static final long RELEASE_MARGIN_MS = 1_000;

  private final Vertx vertx;
  private final String prefix;
  private final long waitMs;
  private final String owner;
  private final Map<String, JsonObject> mine = new HashMap<>();
  private Future<AsyncMap<String, JsonObject>> map;

  /**
   * @param waitMs how long an open waits for a winner that is still opening before it fails
   */
  SessionClaims(Vertx vertx, String prefix, long waitMs) {
    this.vertx = vertx;
    this.prefix = prefix;
    this.waitMs = waitMs;
    this.owner = ClusterView.nodeId(vertx);
  }

  /**
   * The open reply for {@code id}: {@code creator} runs only if this call wins the claim, and its
   * reply is what every other open of the id answers with.
   */
  Future<JsonObject> open(String id, Supplier<Future<JsonObject>> creator) {
    long deadline = System.currentTimeMillis() + waitMs;
    return map().compose(m -> attempt(m, id, creator, deadline));
  }

  /**
   * The session is over: opens of its id now fail with {@code SESSION_CLOSED}; the id is free
   * again after {@code lingerMs}.
   */
  void closed(String id, long lingerMs) {
    JsonObject claim = mine.get(id);
    if (claim == null) {
      return;
    }
    JsonObject over = claim.copy().put("state", "closed");
    mine.put(id, over);
    map().compose(m -> m.replaceIfPresent(id, claim, over)).onComplete(ar ->
        vertx.setTimer(lingerMs + RELEASE_MARGIN_MS, t -> release(id, over)));
  }

  /** Gives back every claim of this instance (its sessions are gone: undeploy). */
  Future<Void> releaseAll() {
    List<Future<?>> releasing = new ArrayList<>();
    for (Map.Entry<String, JsonObject> e : new ArrayList<>(mine.entrySet())) {
      releasing.add(release(e.getKey(), e.getValue()));
    }
    return Future.join(releasing).mapEmpty();
  }

  /** Removes the claims a lost node held; completes with how many were removed here. */
  public static Future<Integer> releaseNode(Vertx vertx, String prefix, String nodeId) {
    return vertx.sharedData().<String, JsonObject>getAsyncMap(MAP_PREFIX + prefix).compose(m -> m.entries()
        .compose(entries -> {
          List<Future<Boolean>> removing = new ArrayList<>();
          entries.forEach((id, claim) -> {
            if (nodeId.equals(claim.getString("owner"))) {
              removing.add(m.removeIfPresent(id, claim));
            }
          });
          return Future.join(removing).map(v -> (int) removing.stream().filter(f -> Boolean.TRUE.equals(f.result()))
              .count());
        }));
  }

  // ------------------------------------------------------------ claiming

  private Future<JsonObject> attempt(AsyncMap<String, JsonObject> m, String id, Supplier<Future<JsonObject>> creator,
      long deadline) {
    JsonObject claim = new JsonObject().put("owner", owner).put("token", UUID.randomUUID().toString())
        .put("state", "opening");
    return m.putIfAbsent(id, claim).compose(existing -> {
      if (existing != null) {
        return follow(m, id, existing, creator, deadline);
      }
      mine.put(id, claim);
      Future<JsonObject> created;
      try {
        created = creator.get();
      } catch (RuntimeException e) {
        created = Future.failedFuture(e);
      }
      return created.compose(reply -> {
        JsonObject open = claim.copy().put("state", "open").put("reply", reply);
        mine.put(id, open);
        return m.replaceIfPresent(id, claim, open).map(reply);
      }, err -> {
        mine.remove(id, claim);
        return m.removeIfPresent(id, claim).transform(ar -> Future.failedFuture(err));
      });
    });
  }

  /** Another open holds the id: pass its reply on once it has one. */
  private Future<JsonObject> follow(AsyncMap<String, JsonObject> m, String id, JsonObject claim,
      Supplier<Future<JsonObject>> creator, long deadline) {
    if (!ownerAlive(claim.getString("owner"))) {
      return m.removeIfPresent(id, claim).compose(removed -> attempt(m, id, creator, deadline));
    }
    switch (claim.getString("state", "")) {
      case "open" -> {
        return Future.succeededFuture(claim.getJsonObject("reply"));
      }
      case "closed" -> {
        return Future.failedFuture(BusErrorCode.failure(BusErrorCode.SESSION_CLOSED,
            "session " + id + " has ended"));
      }
      default -> {
        if (System.currentTimeMillis() > deadline) {
          return Future.failedFuture(BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR,
              "session " + id + " is still being opened elsewhere; try again"));
        }
        Promise<Void> later = Promise.promise();
        vertx.setTimer(LOOK_AGAIN_MS, t -> later.complete());
        return later.future().compose(v -> m.get(id)).compose(now -> now == null
            ? attempt(m, id, creator, deadline)
            : follow(m, id, now, creator, deadline));
      }
    }
  }

  private Future<Boolean> release(String id, JsonObject claim) {
    if (!mine.remove(id, claim)) {
      return Future.succeededFuture(false);
    }
    return map().compose(m -> m.removeIfPresent(id, claim));
  }

  private boolean ownerAlive(String node) {
    return node == null || ClusterView.isMember(vertx, node);
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    if (map == null || map.failed()) {
      map = vertx.sharedData().getAsyncMap(MAP_PREFIX + prefix);
    }
    return map;
  }
}
