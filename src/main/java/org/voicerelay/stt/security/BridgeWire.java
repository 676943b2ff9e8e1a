package org.voicerelay.stt.security;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * The frames the {@link BridgeGuard} writes to one bridge connection itself, in that bridge's own
 * format, so that a client library of the bridge reads them as if the bridge had written them:
 * events of the registrations the guard keeps, answers to the opens it makes, and refusals.
 */
public interface BridgeWire {

  /** A message published to {@code address}, for a registration of the caller. */
  void event(String address, Object body);

  /** The answer to a request of the caller, sent with {@code replyAddress}. */
  void reply(String replyAddress, JsonObject body);

  /** The failure of a request of the caller (failure code and message). */
  void failure(String replyAddress, String sourceAddress, ReplyException failure);

  /** The bridge's refusal of a frame: {@code err} with {@code access_denied}, nothing else. */
  void denied();
}
