package org.voicerelay.stt.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.bus.impl.ResumableSessionImpl;

/**
 * A transcription over the event bus that outlives the node it runs on. It opens a session with
 * {@code <prefix>.open}, sends audio as request/reply with a small window, and keeps every byte
 * sent since the last final transcript. When the session is lost (its node died: a request fails
 * with {@code NO_HANDLERS} or times out, or a {@code closed} event says {@code node_lost}; or its
 * node shut down: {@code closed} with {@code shutdown}) it opens a new session, on whichever node
 * takes it, and sends the kept audio again. The handler sees one transcript: {@code seq} counts
 * on across sessions and the times of a later session are shifted by the audio that was final
 * before it, so no word is lost and none is repeated.
 *
 * <p>States ({@link State}, told to the {@link #stateHandler}): OPENING to OPEN; OPEN to RESUMING
 * (ended on a live node: waiting for its {@code closed}) or OPENING (node gone), or to ENDING; any
 * to CLOSED. Every method hops onto the session's context, so nothing is locked; getters are safe
 * from any thread. One timer at a time, cancelled before another replaces it. Only sent audio beyond
 * {@code maxReplayBytes} is ever dropped (and counted); audio not yet sent waits, and the futures
 * of {@link #write(Buffer)} complete as sessions accept it, so a caller waiting for them is paced.
 * The kept audio is never changed, so it goes to a session that names {@link AudioCodec} in its
 * open reply with that codec, without the bus's copy.
 */
public interface ResumableSession {

  /**
   * The event that tells the handler recognition moved to a new session: {@code node},
   * {@code previousNode}, {@code reason}, {@code replayedBytes}, {@code offsetSeconds} and
   * {@code lostBytes} (audio beyond {@code maxReplayBytes} that had no final transcript and could
   * not be sent again; the total so far).
   */
  String EVENT_RECOGNITION_MOVED = BusContract.EVENT_RECOGNITION_MOVED;

  /** Where the transcription is; see the class comment for the transitions. */
  enum State {
    /** No session: the first open, or a reopen after a loss. */
    OPENING,
    /** A session takes the audio. */
    OPEN,
    /** The session ended on a node that is still there; its {@code closed} event is awaited before reopening. */
    RESUMING,
    /** {@code end} was sent; waiting for the last final transcript and {@code closed}. */
    ENDING,
    /** Over; the handler had the {@code closed} event. */
    CLOSED
  }

  /** Opens the first session; fails if no node takes it within {@code openAttempts}. */
  static Future<ResumableSession> open(Vertx vertx, ResumableSessionOptions options) {
    return ResumableSessionImpl.open(vertx, options, org.voicerelay.stt.tracing.TraceSpan.NONE).map(session -> session);
  }

  /** Every event of the transcription, renumbered and on one time line; {@code closed} only at the very end. */
  ResumableSession handler(Handler<JsonObject> handler);

  /**
   * Told after each resume: {@code {"previousSessionId","sessionId","node","reason",
   * "replayedBytes","offsetSeconds"}}.
   */
  ResumableSession resumeHandler(Handler<JsonObject> handler);

  /** Told every change of {@link #state()}, on the session's context. */
  ResumableSession stateHandler(Handler<State> handler);

  /** Where the transcription is now. */
  State state();

  /**
   * Queues pcm_s16le mono audio (an even number of bytes at {@code sampleRate}); completes when a
   * session has accepted it. {@code pcm} is copied at once, so the caller may reuse it.
   */
  Future<Void> write(Buffer pcm);

  /**
   * Sends all queued audio, then ends the session; completes with the last ({@code closed}) event
   * once the final transcript has been delivered, across as many resumes as it takes.
   */
  Future<JsonObject> end();

  /** Asks the current session for a final transcript of the audio sent so far; the transcription goes on. */
  Future<Void> flush();

  /** Aborts without waiting for transcripts; the current session is closed if it can still be reached. */
  Future<Void> close();

  /** The id of the session in use now (it changes on a resume). */
  String sessionId();

  /** The node of the session in use now, as its open reply names it. */
  String node();

  /** How many times the transcription moved to a new session. */
  int resumes();

  /** Audio lost to the transcript on a resume: dropped beyond {@code maxReplayBytes} before it was final. */
  long lostBytes();

  /** A control request to the session recognizing now (not carried over to a later one); fails while moving. */
  Future<JsonObject> forward(JsonObject request);

  /**
   * The agent's words ({@code context}) to the session recognizing now, which checks the model and
   * sends them; once taken, every later session opens with them as {@code extra.agent_context}.
   */
  Future<JsonObject> addAgentContext(String text);

  /** Changes model, language, extra or keyterms of this session and every later one; completes with the status reply. */
  Future<JsonObject> update(JsonObject fields);

  /** Sent audio dropped from the replay buffer because it exceeded {@code maxReplayBytes}. */
  long droppedReplayBytes();

}
