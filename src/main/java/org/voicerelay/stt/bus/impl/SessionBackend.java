package org.voicerelay.stt.bus.impl;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.voicerelay.stt.bus.BusErrorCode;

/**
 * What runs the recognition behind a {@link SessionEndpoint}: a {@link StreamBackend} (one gateway
 * WebSocket on this node) for a plain session, a {@link ResumableBackend} (recognizing sessions on
 * whichever nodes take them) for a resumable one. The endpoint owns the contract (addresses,
 * states, refusals, replies, events); a backend only does what differs. Called on the endpoint's
 * context; a failed future carries a {@link io.vertx.core.eventbus.ReplyException} with a code of
 * {@link BusErrorCode} ({@link BusErrorCode#SESSION_CLOSED} for "the session is over", which the
 * endpoint words for the caller), anything else is answered 500.
 */
interface SessionBackend {

  /**
   * What became of an audio message: {@code taken} completes when the sender may be answered (or
   * fails with the refusal), {@code accepted} when recognition has the audio (or never will).
   */
  record Write(Future<Void> taken, Future<Void> accepted) {

    static Write refused(int code, String message) {
      Future<Void> failed = Future.failedFuture(BusErrorCode.failure(code, message));
      return new Write(failed, failed);
    }
  }

  /** Starts recognition; from now on the backend reports to {@code endpoint}. */
  Future<Void> start(SessionEndpoint endpoint);

  /** Lets the events flow once the caller has the open reply. */
  void resumeEvents();

  /** The node recognizing the session now. */
  String node();

  /** Adds what this kind of session says in its open reply (and so in {@code status}). */
  void describe(JsonObject openReply);

  /** Adds what this kind of session says in its {@code status} reply. */
  void describeStatus(JsonObject status);

  /**
   * Adds {@code stream}, the gateway connection's state, to a {@code status} reply where it takes a
   * request to learn it; completes when done (without it if it cannot be had).
   */
  default Future<Void> describeConnection(JsonObject status) {
    return Future.succeededFuture();
  }

  /** Takes audio ({@code paced}: the sender waits for an answer). */
  Write write(Buffer pcm, boolean paced);

  /** Whether answers to paced senders wait now (until {@link SessionEndpoint#drained()}). */
  boolean holdsReplies();

  /** Audio taken and not yet sent on, in bytes at the session rate. */
  long bufferedBytes();

  /** Audio sent on and kept for a replay, in bytes. */
  long replayBytes();

  /**
   * The deaf spell under way of the stream this backend holds; 0 without one (a resumable front:
   * its recognizing session counts on the node that holds it).
   */
  default long deafForMs() {
    return 0;
  }

  /** Asks for a final transcript of the audio so far. */
  Future<Void> flush();

  /**
   * Applies a checked {@code update}: each argument null if not to change; new keyterms are held
   * while the user speaks and sent at the end of speech.
   */
  Future<Void> update(String model, String language, JsonObject extra, List<String> keyterms);

  /** Adds the agent's words as context; fails with 422 {@code unsupported} for a model that takes none. */
  Future<Void> addContext(String text);

  /** Finalizes: the last final transcript, then {@link SessionEndpoint#closed}. */
  void end();

  /** Aborts now; {@link SessionEndpoint#closed} follows. */
  void close();
}
