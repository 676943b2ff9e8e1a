package org.voicerelay.stt.bus.impl;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.Set;
import org.voicerelay.stt.bus.BusErrorCode;
import org.voicerelay.stt.bus.ResumableSession;

/** What a failed request to a session says about that session, for {@link ResumableSession}. */
enum SessionLoss {
  /** No one answers at the session's address any more, or the answer never came: its node is gone. */
  NODE_GONE,
  /** The session is over on a node that is still there (ended, closed, shutting down). */
  ENDED_ON_LIVE_NODE,
  /** The session is there and refused the request itself. */
  NONE;

  private static final Set<Integer> ENDED = Set.of(BusErrorCode.INPUT_ENDED, BusErrorCode.SESSION_CLOSED,
      BusErrorCode.SHUTTING_DOWN);
  private static final Set<Integer> NOT_RETRYABLE_OPEN = Set.of(BusErrorCode.BAD_REQUEST,
      BusErrorCode.FORBIDDEN_EVENTS_ADDRESS);

  static SessionLoss of(Throwable failure) {
    if (!(failure instanceof ReplyException e)) {
      return NODE_GONE;
    }
    return switch (e.failureType()) {
      case NO_HANDLERS, TIMEOUT, ERROR -> NODE_GONE;
      case RECIPIENT_FAILURE -> ENDED.contains(e.failureCode()) ? ENDED_ON_LIVE_NODE : NONE;
    };
  }

  /** Whether another attempt at an open that failed so may succeed. */
  static boolean openMayBeRetried(Throwable failure) {
    return !(failure instanceof ReplyException e && e.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && NOT_RETRYABLE_OPEN.contains(e.failureCode()));
  }
}
