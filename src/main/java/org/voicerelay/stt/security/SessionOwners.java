package org.voicerelay.stt.security;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.voicerelay.stt.internal.ClusterView;
import org.voicerelay.stt.internal.SharedMapNames;

/**
 * Which bridge caller owns which session id and events address, cluster-wide: a map
 * ({@code __stt.bridge.owners.<prefix>}; local without a cluster) from {@code s:<id>} and
 * {@code e:<address>} to {@code {"owner","node"}}. It exists because the contract's open is
 * idempotent: without it, a caller who names another caller's session id is handed that session.
 *
 * <p>A claim is given back when the session closes. The claim of a node that left the cluster is
 * taken over by its owner (a caller that outlives its node), and by anyone else only once the
 * session directory shows no open session of that id.
 */
final class SessionOwners {

  static final String MAP_PREFIX = "__stt.bridge.owners.";

  private final Vertx vertx;
  private final String prefix;
  private final String node;
  private Future<AsyncMap<String, JsonObject>> map;

  SessionOwners(Vertx vertx, String prefix) {
    this.vertx = vertx;
    this.prefix = prefix;
    this.node = ClusterView.nodeId(vertx);
  }

  /** The claim key of a session id. */
  static String sessionKey(String id) {
    return "s:" + id;
  }

  /** The claim key of an events address other than a session's default one. */
  static String eventsKey(String address) {
    return "e:" + address;
  }

  /**
   * Claims {@code key} for {@code owner}.
   *
   * @return {@code NEW} if it was free, {@code OWN} if the owner had it already, {@code TAKEN} if
   *     another owner has it
   */
  Future<Claim> claim(String key, String owner) {
    JsonObject mine = new JsonObject().put("owner", owner).put("node", node);
    return map().compose(m -> m.putIfAbsent(key, mine).compose(existing -> {
      if (existing == null) {
        return Future.succeededFuture(Claim.NEW);
      }
      if (owner.equals(existing.getString("owner"))) {
        return m.replaceIfPresent(key, existing, mine).map(Claim.OWN);
      }
      if (ClusterView.isMember(vertx, existing.getString("node"))) {
        return Future.succeededFuture(Claim.TAKEN);
      }
      return sessionOver(key).compose(over -> !over ? Future.succeededFuture(Claim.TAKEN)
          : m.replaceIfPresent(key, existing, mine).map(replaced -> replaced ? Claim.NEW : Claim.TAKEN));
    }));
  }

  /** Gives a claim back, if {@code owner} still has it. */
  Future<Void> release(String key, String owner) {
    return map().compose(m -> m.get(key).compose(existing -> existing != null
        && owner.equals(existing.getString("owner")) ? m.removeIfPresent(key, existing).mapEmpty()
        : Future.<Void>succeededFuture()))
        .recover(e -> Future.succeededFuture());
  }

  /** Whether the session of a claim of a lost node is over (an events address's claim always is). */
  private Future<Boolean> sessionOver(String key) {
    if (!key.startsWith("s:")) {
      return Future.succeededFuture(true);
    }
    return vertx.sharedData().<String, JsonObject>getAsyncMap(SharedMapNames.SESSION_DIRECTORY + prefix)
        .compose(d -> d.get(key.substring(2)))
        .map(entry -> entry == null || "closed".equals(entry.getString("state")));
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    if (map == null || map.failed()) {
      map = vertx.sharedData().getAsyncMap(MAP_PREFIX + prefix);
    }
    return map;
  }

  enum Claim {
    NEW, OWN, TAKEN
  }
}
