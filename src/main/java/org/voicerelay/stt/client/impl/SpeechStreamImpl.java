package org.voicerelay.stt.client.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.voicerelay.stt.client.ModelCapabilities;
import org.voicerelay.stt.client.ModelCatalog;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamState;
import org.voicerelay.stt.client.StreamStateEvent;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.client.VoiceActivityDetector;
import org.voicerelay.stt.internal.VertxInternals;

/**
 * One stream as its caller sees it: a {@code WriteStream<Buffer>} of audio into the
 * {@link AudioOutbox}, a {@code ReadStream<SpeechEvent>} of what the gateway said
 * ({@link StreamEvents}), and the {@link StreamConnection} that moves one into the other. Confined
 * to the creating context: every method hops onto it first, or reads volatile fields only, so
 * nothing here needs a lock.
 */
public final class SpeechStreamImpl implements SpeechStream {

  private final Context context;
  private final String id = "stt_request_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final int maxBufferedBytes;
  private final AudioOutbox outbox;
  private final StreamEvents events = new StreamEvents(id);
  private final WriteQueue writeQueue;
  private final StreamConnection connection;
  private final Promise<Void> finished = Promise.promise();
  /** The model's and fallbacks' capabilities, recomputed on each live change of the model. */
  private volatile ModelCapabilities capabilities;
  private final KeytermHold keyterms;
  private final TurnHook turns;
  private final Deafness deafness = Deafness.create();

  SpeechStreamImpl(GatewayAccess gateway, Context context, SttOptions options, KeytermHold keyterms,
      VoiceActivityDetector turnDetector, int inputRate, Consumer<SpeechStreamImpl> onClosed) {
    this.context = context;
    this.maxBufferedBytes = options.getMaxBufferedBytes();
    this.capabilities = ModelCatalog.capabilities(options.getModel(), options.getExtra(), options.getFallback());
    this.keyterms = keyterms;
    this.turns = new TurnHook(id, turnDetector, inputRate, this::turnEnded);
    TranscriptAssembler transcripts = new TranscriptAssembler(id, this::onEvent);
    this.outbox = new AudioOutbox(inputRate, options.getSampleRate(), options.getReplayBufferMs(),
        transcripts::addUsage);
    this.writeQueue = new WriteQueue(options.getWriteQueueMaxSize(), outbox::pendingBytes);
    StreamTrace trace = StreamTrace.start(gateway.vertx(), id, options, outbox::secondsSent);
    transcripts.traced(trace.span(), options.isTraceTranscripts());
    StreamParts parts = new StreamParts(id, outbox, events, transcripts, deafness, trace);
    this.connection = new StreamConnection(gateway, parts, options, writeQueue::checkDrain, failure -> {
      onClosed.accept(this);
      if (failure == null) {
        finished.tryComplete();
      } else {
        finished.tryFail(failure);
      }
    }, this::onContext);
  }

  void start() {
    onContext(connection::start);
  }

  Context context() {
    return context;
  }

  // ---------------------------------------------------------------- WriteStream

  /**
   * On the stream's event loop (the usual case: an agent's audio callback or timer) the audio is
   * taken at once, and the answer is a completed future: no promise and no dispatch per 20 ms
   * frame. From another thread it hops onto the stream's context.
   */
  @Override
  public Future<Void> write(Buffer data) {
    if (VertxInternals.onContext(context)) {
      SttException refused = accept(data);
      return refused == null ? Future.succeededFuture() : Future.failedFuture(refused);
    }
    Promise<Void> accepted = Promise.promise();
    int length = data.length();
    writeQueue.written(length);
    onContext(() -> {
      writeQueue.arrived(length);
      SttException refused = accept(data);
      if (refused == null) {
        accepted.complete();
      } else {
        accepted.fail(refused);
      }
    });
    return accepted.future();
  }

  private SttException accept(Buffer data) {
    if (connection.inputOver()) {
      return new SttException(SttErrorCode.STREAM_CLOSED, "audio written after the stream ended");
    }
    SttException refused = outbox.offer(data, maxBufferedBytes);
    if (refused != null) {
      return refused;
    }
    turns.audio(data);
    if (!outbox.drained()) {
      // a whole 50 ms chunk or a finalize to send; a part of a chunk waits for the rest (with
      // 20 ms writes, three writes in five), and nothing else changes when nothing is sent. Only
      // then can the queue have grown: it counts whole chunks (and writes still on their way,
      // which written() counted), so a write that only filled part of a chunk leaves it as it was
      writeQueue.queued();
      connection.sendPending();
    }
    return null;
  }

  /** The turn hook found an end of speech: the short last chunk and {@code session.finalize} go out. */
  private void turnEnded() {
    outbox.requestFinalize();
  }

  @Override
  public Future<Void> end() {
    onContext(() -> {
      if (connection.inputOver()) {
        return;
      }
      outbox.requestFinalize();
      connection.endInput();
    });
    return finished.future();
  }

  /** LiveKit's flush: the short last chunk goes out now; no {@code session.finalize}. */
  @Override
  public Future<Void> flush() {
    return sendBuffered(false, "flush");
  }

  @Override
  public Future<Void> finalizeUtterance() {
    return sendBuffered(true, "finalizeUtterance");
  }

  private Future<Void> sendBuffered(boolean finalize, String what) {
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      if (connection.inputOver()) {
        done.fail(new SttException(SttErrorCode.STREAM_CLOSED, what + " after the stream ended"));
        return;
      }
      if (finalize) {
        outbox.requestFinalize();
      } else {
        outbox.flushTail();
      }
      connection.sendPending();
      done.complete();
    });
    return done.future();
  }

  /** Any thread. */
  @Override
  public boolean writeQueueFull() {
    return writeQueue.full();
  }

  /** Any thread. */
  @Override
  public SpeechStream setWriteQueueMaxSize(int maxSize) {
    writeQueue.maxSize(maxSize);
    return this;
  }

  /**
   * Any thread: set at once (a writer that finds the queue full sets it right after its write),
   * then checked on the context, so a drain that came first is not lost.
   */
  @Override
  public SpeechStream drainHandler(Handler<Void> handler) {
    writeQueue.drainHandler(handler);
    onContext(writeQueue::checkDrain);
    return this;
  }

  @Override
  public void updateOptions(String model, String language, JsonObject extra) {
    onContext(() -> {
      updateExtra(model, language, extra);
      SttOptions now = connection.options();
      capabilities = ModelCatalog.capabilities(now.getModel(), now.getExtra(), now.getFallback());
    });
  }

  /** A caller's change: an {@code extra} in it carries the stream's keyterms again (see {@link KeytermHold}). */
  private void updateExtra(String model, String language, JsonObject extra) {
    String nextModel = model != null ? model : connection.options().getModel();
    connection.update(model, language, extra == null ? null : keyterms.callerExtra(extra, nextModel));
  }

  @Override
  public SpeechStream turnDetector(VoiceActivityDetector detector) {
    onContext(() -> turns.detector(detector));
    return this;
  }

  @Override
  public Future<Void> updateKeyterms(List<String> terms) {
    List<String> next;
    try {
      next = checkedKeyterms(terms);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      String model = connection.options().getModel();
      if (connection.inputOver()) {
        done.fail(new SttException(SttErrorCode.STREAM_CLOSED, "keyterms updated after the stream ended"));
      } else if (KeytermHold.optionOf(model) == null) {
        done.fail(new SttException(SttErrorCode.UNSUPPORTED, "model " + (model == null ? "auto" : model)
            + " takes no keyterms"));
      } else {
        JsonObject now = keyterms.update(next, model);
        if (now != null) {
          connection.update(null, null, now);
        }
        done.complete();
      }
    });
    return done.future();
  }

  @Override
  public Future<Void> addAgentContext(String text) {
    if (text == null || text.isBlank()) {
      return Future.failedFuture(new IllegalArgumentException("agent context text must not be empty"));
    }
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      String model = connection.options().getModel();
      if (connection.inputOver()) {
        done.fail(new SttException(SttErrorCode.STREAM_CLOSED, "agent context added after the stream ended"));
      } else if (!ModelCatalog.describe(model).capabilities().chatContext()) {
        done.fail(new SttException(SttErrorCode.UNSUPPORTED, "model " + (model == null ? "auto" : model)
            + " takes no agent context (only AssemblyAI's U3 Pro models do)"));
      } else {
        updateExtra(null, null, new JsonObject().put(ModelCatalog.AGENT_CONTEXT_OPTION, ModelCatalog.agentContext(text)));
        done.complete();
      }
    });
    return done.future();
  }

  private static List<String> checkedKeyterms(List<String> terms) {
    if (terms == null) {
      throw new IllegalArgumentException("keyterms must be a list (empty to clear them)");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < terms.size(); i++) {
      String term = terms.get(i);
      if (term == null || term.isBlank()) {
        throw new IllegalArgumentException("keyterms[" + i + "] must be a non-empty string");
      }
      if (!out.contains(term.strip())) {
        out.add(term.strip());
      }
    }
    return out;
  }

  /** Every event of the transcript: to the caller, and the end of speech releases held keyterms. */
  private void onEvent(SpeechEvent event) {
    events.add(event);
    if (event.type() == SpeechEventType.START_OF_SPEECH) {
      keyterms.speechStarted();
    } else if (event.type() == SpeechEventType.END_OF_SPEECH) {
      JsonObject held = keyterms.speechEnded(connection.options().getModel());
      if (held != null) {
        connection.update(null, null, held);
      }
    }
  }

  /** Any thread. */
  @Override
  public ModelCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public Future<Void> close() {
    onContext(connection::abort);
    return finished.future().recover(err -> Future.succeededFuture());
  }

  // ---------------------------------------------------------------- ReadStream

  @Override
  public SpeechStream handler(Handler<SpeechEvent> handler) {
    onContext(() -> events.handler(handler));
    return this;
  }

  @Override
  public SpeechStream exceptionHandler(Handler<Throwable> handler) {
    onContext(() -> events.exceptionHandler(handler));
    return this;
  }

  @Override
  public SpeechStream stateHandler(Handler<StreamStateEvent> handler) {
    onContext(() -> events.stateHandler(handler));
    return this;
  }

  @Override
  public SpeechStream pause() {
    onContext(events::pause);
    return this;
  }

  @Override
  public SpeechStream resume() {
    onContext(events::resume);
    return this;
  }

  @Override
  public SpeechStream fetch(long amount) {
    onContext(() -> events.fetch(amount));
    return this;
  }

  @Override
  public SpeechStream endHandler(Handler<Void> endHandler) {
    onContext(() -> events.endHandler(endHandler));
    return this;
  }

  // ---------------------------------------------------------------- introspection (any thread)

  @Override
  public String id() {
    return id;
  }

  @Override
  public StreamState state() {
    return connection.phase().state();
  }

  @Override
  public long bufferedBytes() {
    return outbox.pendingBytes();
  }

  @Override
  public long replayBytes() {
    return outbox.replayBytes();
  }

  @Override
  public double audioSecondsSent() {
    return outbox.secondsSent();
  }

  @Override
  public long framesSent() {
    return outbox.framesSent();
  }

  @Override
  public long deafForMs() {
    return deafness.currentMs();
  }

  @Override
  public JsonObject status() {
    JsonObject status = new JsonObject()
        .put("state", connection.phase().state().name())
        .put("inputEnded", connection.inputEnded())
        .put("finishing", connection.finishingStep())
        .put("bufferedBytes", outbox.pendingBytes())
        .put("replayBytes", outbox.replayBytes())
        .put("audioSecondsSent", audioSecondsSent())
        .put("reconnects", connection.reconnects())
        .put("deafForMs", deafness.currentMs())
        .put("longestDeafMs", deafness.longestMs())
        .put("framesSent", outbox.framesSent())
        .put("replayTrimmedSeconds", outbox.replayTrimmedSeconds())
        .put("sessionSampleRate", outbox.sessionRate());
    status.put("turnHook", turns.enabled()).put("endOfSpeechFinalizes", turns.finalizes());
    String sessionId = connection.sessionId();
    if (sessionId != null) {
      status.put("connectionSessionId", sessionId);
    }
    Long sinceLastHeard = connection.sinceLastHeardMs();
    if (sinceLastHeard != null) {
      status.put("sinceLastHeardMs", sinceLastHeard);
    }
    return status;
  }

  @Override
  public String toString() {
    return "SpeechStream{id=" + id + ", state=" + connection.phase().state() + "}";
  }

  private void onContext(Runnable action) {
    VertxInternals.runOn(context, action);
  }
}
