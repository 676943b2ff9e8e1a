package org.voicerelay.stt.client;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * One transcription: pcm_s16le mono in at the stream's input rate, {@link SpeechEvent}s out.
 *
 * <p>As a {@link WriteStream}: a write succeeds once the audio is queued toward the gateway and
 * fails with {@link SttErrorCode#INVALID_AUDIO} (odd length), {@link SttErrorCode#BUFFER_FULL}
 * (beyond {@code maxBufferedBytes}) or {@link SttErrorCode#STREAM_CLOSED}; {@link #writeQueueFull()}
 * is true while more than {@code writeQueueMaxSize} bytes wait, so {@code pipeTo} is paced by the
 * gateway. {@link #end()} finalizes, waits for the final transcript and closes.
 *
 * <p>As a {@link ReadStream}: transcript events plus {@code RECONNECTING} and {@code ERROR}
 * events; the end handler runs when the stream is over, whether it ended or failed for good (the
 * exception handler gets the failure first).
 *
 * <p>All handlers run on the context that created the stream. Methods may be called from any
 * thread: those that change the stream hop onto that context (calls from one thread keep their
 * order); {@link #writeQueueFull()}, {@link #setWriteQueueMaxSize}, {@link #drainHandler}, {@link #state()},
 * {@link #bufferedBytes()}, {@link #audioSecondsSent()}, {@link #framesSent()} and
 * {@link #status()} read or write volatile fields and are safe from any thread.
 */
public interface SpeechStream extends ReadStream<SpeechEvent>, WriteStream<Buffer> {

  /**
   * The stream's own id, the request id of its error and reconnect events (transcripts carry the
   * gateway's request or session id, else their connection's {@code X-LiveKit-Session-ID}).
   */
  String id();

  /**
   * Sends what is buffered now, as a short last chunk, without {@code session.finalize}: LiveKit's
   * flush. The stream stays usable. To have the gateway finalize, {@link #finalizeUtterance()}.
   */
  Future<Void> flush();

  /**
   * Sends what is buffered (a short last chunk) and {@code session.finalize}: the gateway answers
   * with the final transcript of what it has, as at an end of speech of the turn hook and as the
   * bus's {@code flush} action does. The stream stays usable.
   */
  Future<Void> finalizeUtterance();

  /**
   * Changes model, language and provider options; sends {@code session.update} when connected. An
   * {@code extra} carries the stream's keyterms merged in again (its own keyterm option, if it
   * names one, becomes the caller's own terms) and drops a keyterm change held until the end of
   * speech, since it carries the latest terms.
   */
  void updateOptions(String model, String language, JsonObject extra);

  /**
   * Replaces the stream's keyterms (empty clears them). They are merged into the model's own
   * keyterm option ({@code keyterm} for Deepgram, {@code keyterms_prompt} for
   * AssemblyAI, {@code additional_vocab} for Speechmatics) after the terms set there, without
   * duplicates, and sent with {@code session.update}; while the user is speaking the change is
   * held until the end of speech. Succeeds once sent or held; fails with
   * {@link SttErrorCode#UNSUPPORTED} for a model that takes no keyterms
   * ({@link ModelCapabilities#keyterms()}), {@link SttErrorCode#STREAM_CLOSED} after the stream ended.
   */
  Future<Void> updateKeyterms(java.util.List<String> keyterms);

  /**
   * Tells a model that takes chat context (AssemblyAI's U3 Pro models) what the agent just said:
   * this reply only, replacing the previous one, its last
   * {@link ModelCatalog#AGENT_CONTEXT_MAX_CHARS} characters, sent as {@code agent_context} with
   * {@code session.update} (with the stream's keyterms, as every {@code extra} change) and kept for
   * the {@code session.create} of a reconnect. Fails with
   * {@link SttErrorCode#UNSUPPORTED} for other models ({@link ModelCapabilities#chatContext()}),
   * {@link SttErrorCode#STREAM_CLOSED} after the stream ended.
   */
  Future<Void> addAgentContext(String text);

  /**
   * Aborts: sends {@code session.close} and closes the socket at once, without waiting for
   * transcripts.
   */
  Future<Void> close();

  /**
   * What the stream's model can do ({@link ModelCatalog}): word timings only if the model and
   * every fallback send them; follows {@link #updateOptions} changes of the model. Any thread.
   */
  ModelCapabilities capabilities();

  /**
   * Sets the voice-activity detector of the stream's turn hook (null turns the hook off): at each
   * end of speech it finds in the written audio, the stream finalizes as {@link #finalizeUtterance()} does.
   * The hook starts with the built-in {@link EnergyVoiceActivityDetector} when
   * {@link StreamOptions#setEndOfSpeechFinalize} is true, or unset for a Speechmatics model.
   */
  SpeechStream turnDetector(VoiceActivityDetector detector);

  /** Where the connection is. Any thread. */
  StreamState state();

  /**
   * Called with every transition of the stream's {@link StreamPhase} (and so of {@link #state()})
   * and its cause, from the next one on. The stream's life, reconnects included, can be drawn from
   * these events.
   */
  SpeechStream stateHandler(io.vertx.core.Handler<StreamStateEvent> handler);

  /** Bytes (at the session rate) waiting to be sent. */
  long bufferedBytes();

  /**
   * Bytes (at the session rate) sent and kept for a replay after a reconnect until a final
   * transcript covers them; at most {@code replayBufferMs} of audio. Off the Java heap.
   */
  long replayBytes();

  /**
   * The deaf spell under way: milliseconds since a connection failed while audio flowed (from when
   * its gateway was last heard) with no transcript event since; 0 while the stream hears. Any thread.
   */
  long deafForMs();

  /** Seconds of audio sent to the gateway so far, over all connections. */
  double audioSecondsSent();

  /** {@code input_audio} frames sent, replays after a reconnect included. */
  long framesSent();

  /** A snapshot for status requests: state, buffered bytes, audio seconds, reconnects. */
  JsonObject status();

  @Override
  SpeechStream exceptionHandler(Handler<Throwable> handler);

  @Override
  SpeechStream handler(Handler<SpeechEvent> handler);

  @Override
  SpeechStream pause();

  @Override
  SpeechStream resume();

  @Override
  SpeechStream fetch(long amount);

  @Override
  SpeechStream endHandler(Handler<Void> endHandler);

  @Override
  SpeechStream setWriteQueueMaxSize(int maxSize);

  @Override
  SpeechStream drainHandler(Handler<Void> handler);
}
