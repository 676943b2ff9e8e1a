package org.voicerelay.stt.bus.impl;

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
import java.util.function.Function;
import java.util.function.Supplier;
import org.voicerelay.stt.bus.BusErrorCode;
import org.voicerelay.stt.internal.ClusterView;
import org.voicerelay.stt.internal.SharedMapNames;

/**
 * The cluster's one directory of sessions: a cluster-wide map ({@code __stt.sessions.<prefix>}; on
 * a node without a cluster the same map is local) with an entry per session, written when the
 * session opens and when it closes, never per event. It does two jobs:
 *
 * <ul>
 *   <li>One session per id. Before a node creates a session for a caller's {@code sessionId} it
 *       claims the id ({@code putIfAbsent}); only the winner creates, and every other open of the
 *       id, on any node and verticle instance, answers with the winner's open reply, or
 *       {@link BusErrorCode#SESSION_CLOSED} once that session is over. A session opened without
 *       an id is {@linkplain #record recorded} once it is open.</li>
 *   <li>Owners. Every entry names its owner node, so that when a node leaves the cluster the
 *       survivors {@linkplain #takeEntriesOf take its entries} and tell the sessions' listeners
 *       ({@link NodeLossNotices}). The {@code closed} event they publish must come after
 *       every event the session published, so an entry also holds {@code seqReserved}: a session
 *       publishes events up to it and {@linkplain #reserveSeq reserves} {@value #SEQ_RESERVE} more
 *       when half of them are used, one write per {@value #SEQ_RESERVE_HALF} events.</li>
 * </ul>
 *
 * <p>An entry is {@code {"owner","token","state":"opening"|"open"|"closed","reply","seqReserved"}}.
 * The owner gives it back {@code closedSessionLingerMs} after the session closed (so a late open
 * still learns the session ended), and all of them when it undeploys; the entries of a node that
 * left the cluster are taken by the survivors, or by the next open that meets one. A loser that
 * meets {@code opening} looks again every few milliseconds until the winner has its addresses
 * registered, so the reply it passes on is never ahead of the session.
 */
public final class SessionDirectory {

  /** The cluster-wide map of sessions, one per address prefix. */
  public static final String MAP_PREFIX = SharedMapNames.SESSION_DIRECTORY;
  /** How many event numbers a session reserves at a time. */
  public static final long SEQ_RESERVE = 64;
  static final long SEQ_RESERVE_HALF = SEQ_RESERVE / 2;
  /** How often a loser looks whether the winner's session is open yet. */
  private static final long LOOK_AGAIN_MS = 20;
  /** A claim outlives the session's linger by this much, so its addresses are gone before the id is free. */
  private static final long RELEASE_MARGIN_MS = 1_000;

  private final Vertx vertx;
  private final String prefix;
  private final long waitMs;
  private final String owner;
  private final Map<String, JsonObject> mine = new HashMap<>();
  private final Map<String, Future<Void>> writing = new HashMap<>();
  private Future<AsyncMap<String, JsonObject>> map;

  /**
   * @param waitMs how long an open waits for a winner that is still opening before it fails
   */
  SessionDirectory(Vertx vertx, String prefix, long waitMs) {
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
    write(id, m -> m.replaceIfPresent(id, claim, over).mapEmpty()).onComplete(ar ->
        vertx.setTimer(lingerMs + RELEASE_MARGIN_MS, t -> release(id, over)));
  }

  /** Records a session opened without a caller's id (its id is new): owner, open reply, first reserve. */
  void record(String id, JsonObject reply) {
    JsonObject entry = new JsonObject().put("owner", owner).put("token", UUID.randomUUID().toString())
        .put("state", "open").put("reply", reply).put("seqReserved", SEQ_RESERVE);
    mine.put(id, entry);
    write(id, m -> m.put(id, entry).mapEmpty());
  }

  /** The session may publish events numbered up to {@code seq}; a lost node's {@code closed} comes after it. */
  void reserveSeq(String id, long seq) {
    JsonObject entry = mine.get(id);
    if (entry == null || !"open".equals(entry.getString("state"))) {
      return;
    }
    JsonObject reserved = entry.copy().put("seqReserved", seq);
    mine.put(id, reserved);
    write(id, m -> m.replaceIfPresent(id, entry, reserved).mapEmpty());
  }

  /**
   * Takes the entries a lost node owned out of the directory; completes with the open sessions
   * among those this call removed, so that each is announced by one survivor only.
   */
  public static Future<List<JsonObject>> takeEntriesOf(Vertx vertx, String prefix, String nodeId) {
    return vertx.sharedData().<String, JsonObject>getAsyncMap(MAP_PREFIX + prefix).compose(m -> m.entries()
        .compose(entries -> {
          List<Future<JsonObject>> taking = new ArrayList<>();
          entries.forEach((id, entry) -> {
            if (nodeId.equals(entry.getString("owner"))) {
              taking.add(m.removeIfPresent(id, entry).map(removed -> removed ? entry : null));
            }
          });
          return Future.join(taking).map(v -> taking.stream().map(Future::result)
              .filter(e -> e != null && "open".equals(e.getString("state"))).toList());
        }));
  }

  /** Gives back every claim of this instance (its sessions are gone: undeploy). */
  Future<Void> releaseAll() {
    List<Future<?>> releasing = new ArrayList<>();
    for (Map.Entry<String, JsonObject> e : new ArrayList<>(mine.entrySet())) {
      releasing.add(release(e.getKey(), e.getValue()));
    }
    return Future.join(releasing).mapEmpty();
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
        JsonObject open = claim.copy().put("state", "open").put("reply", reply).put("seqReserved", SEQ_RESERVE);
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

  private Future<Void> release(String id, JsonObject claim) {
    if (!mine.remove(id, claim)) {
      return Future.succeededFuture();
    }
    return write(id, m -> m.removeIfPresent(id, claim).mapEmpty());
  }

  /** The writes of one entry, one after the other, so that a later one never overtakes an earlier one. */
  private Future<Void> write(String id, Function<AsyncMap<String, JsonObject>, Future<Void>> change) {
    Future<Void> previous = writing.getOrDefault(id, Future.succeededFuture());
    Future<Void> next = previous.transform(ar -> map()).compose(change::apply).recover(err -> Future.succeededFuture());
    writing.put(id, next);
    next.onComplete(ar -> writing.remove(id, next));
    return next;
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
