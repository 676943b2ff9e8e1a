package org.voicerelay.stt.client.impl;

import io.netty.channel.ChannelPipeline;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.audio.AudioChunker;
import org.voicerelay.stt.audio.Resampler;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamState;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.protocol.AccessToken;
import org.voicerelay.stt.protocol.FallbackModel;
import org.voicerelay.stt.protocol.GatewayUrl;
import org.voicerelay.stt.protocol.MessageType;
import org.voicerelay.stt.protocol.ModelName;
import org.voicerelay.stt.protocol.ProtocolCodec;
import org.voicerelay.stt.protocol.ProtocolException;
import org.voicerelay.stt.protocol.ServerMessage;
import org.voicerelay.stt.protocol.SessionCreate;
import org.voicerelay.stt.protocol.SessionSettings;
import org.voicerelay.stt.protocol.SessionUpdate;

/**
 * One stream: a state machine over {@link StreamState} plus one flag for the caller's intent
 * ({@code inputEnded}), confined to the creating context. Every public method hops onto that
 * context first, so nothing here needs a lock.
 *
 * <p>Audio path: write → resample → 50 ms chunks → {@code pending} → socket (paced by the
 * socket's own write queue). Sent chunks stay in {@code unfinalized} until a final transcript or
 * {@code session.finalized} covers them; after a reconnect they are sent again first, with the
 * time offset set to their start, so the new gateway session transcribes exactly the words the
 * old one had not finalized and the times stay on the stream's clock.
 */
public final class SpeechStreamImpl implements SpeechStream {

  private static final Logger LOG = LoggerFactory.getLogger(SpeechStreamImpl.class);
  private static final int CHUNK_MS = 50;
  /** A finalize request in the outgoing queue. */
  private static final Chunk FINALIZE = new Chunk(null, -1);
  /** How long to wait for {@code session.closed} after sending {@code session.close}. */
  private static final long CLOSE_GRACE_MS = 2_000;

  private record Chunk(byte[] pcm, long startSample) {
    long endSample() {
      return startSample + pcm.length / 2;
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final WebSocketClient webSockets;
  private final AccessToken tokens;
  private final Consumer<SpeechStreamImpl> onClosed;
  private final String id = "stt_request_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private final int sessionRate;
  private final Resampler resampler;
  private final AudioChunker chunker;
  private final ReconnectPolicy reconnectPolicy;
  private final EventQueue<SpeechEvent> events = new EventQueue<>();
  private final TranscriptAssembler transcripts;
  private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
  private final ArrayDeque<Chunk> unfinalized = new ArrayDeque<>();
  /**
   * Whole-frame arrays the replay buffer let go of, reused for new frames. Audio stays in the
   * replay buffer until a final transcript covers it (seconds), long enough to survive young
   * collections: at 2000 sessions the GC copying those arrays around paused the process for
   * 50-150 ms. Reused arrays stay put in the old generation instead. At most
   * {@link #MAX_SPARE_CHUNKS} (about 100 KiB at 16 kHz) per stream, freed when the stream ends.
   */
  private final ArrayDeque<byte[]> spareChunks = new ArrayDeque<>();
  private static final int MAX_SPARE_CHUNKS = 64;
  private final Promise<Void> finished = Promise.promise();

  private SttOptions options;
  private StreamState state = StreamState.CONNECTING;
  private boolean inputEnded;
  private WebSocket socket;
  /** Incremented per connection attempt, so callbacks of an abandoned attempt are ignored. */
  private int attempt;
  private long reconnectTimer = -1;
  private long connectTimer = -1;
  private long finishTimer = -1;
  private volatile long pendingBytes;
  /**
   * Bytes written by callers on other threads that have not reached the context yet: counted at
   * once, so {@link #writeQueueFull()} is true right after the write that filled the queue.
   */
  private final java.util.concurrent.atomic.AtomicLong inTransit = new java.util.concurrent.atomic.AtomicLong();
  private long samplesChunked;
  private long samplesSent;
  /** The furthest stream position ever sent; replays do not move it. */
  private long highestSampleSent;
  private long replayLimitSamples;
  /** Stream time (samples) at which the current connection's gateway time is zero. */
  private long connectionOffsetSamples;
  /** Sample positions of finalize requests sent and not yet answered by session.finalized. */
  private final ArrayDeque<Long> finalizeMarks = new ArrayDeque<>();
  private boolean finalTranscriptAfterEnd;
  private boolean sessionCloseSent;
  private int reconnects;
  private long framesSent;
  /** Chunks dropped from the replay buffer because no final transcript covered them in time. */
  private long replayTrimmed;
  private int writeQueueMaxSize;
  private volatile boolean writeQueueWasFull;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;
  /** Why the stream failed for good, kept for an exception handler set after the fact. */
  private SttException terminalFailure;
  private boolean failureDelivered;

  SpeechStreamImpl(Vertx vertx, Context context, WebSocketClient webSockets, AccessToken tokens,
      SttOptions options, int inputRate, Consumer<SpeechStreamImpl> onClosed) {
    this.vertx = vertx;
    this.context = context;
    this.webSockets = webSockets;
    this.tokens = tokens;
    this.options = options;
    this.onClosed = onClosed;
    this.sessionRate = options.getSampleRate();
    this.resampler = new Resampler(inputRate, sessionRate);
    this.chunker = new AudioChunker(AudioChunker.chunkBytes(sessionRate, CHUNK_MS));
    this.reconnectPolicy = new ReconnectPolicy(options.getConnectOptions());
    this.writeQueueMaxSize = options.getWriteQueueMaxSize();
    this.replayLimitSamples = options.getReplayBufferMs() * sessionRate / 1000;
    this.transcripts = new TranscriptAssembler(id, events::add);
  }

  void start() {
    onContext(this::connect);
  }

  // ---------------------------------------------------------------- connection state machine

  private void connect() {
    if (state == StreamState.CLOSED) {
      return;
    }
    state = StreamState.CONNECTING;
    int current = ++attempt;
    WebSocketConnectOptions connectOptions = new WebSocketConnectOptions()
        .setAbsoluteURI(GatewayUrl.sttEndpoint(options.getBaseUrl(), options.getModel()).toString())
        .addHeader("Authorization", "Bearer " + tokens.issue())
        .addHeader("User-Agent", SttClientImpl.USER_AGENT)
        .setTimeout(options.getConnectOptions().getTimeoutMs());
    connectTimer = vertx.setTimer(options.getConnectOptions().getTimeoutMs(), t -> {
      connectTimer = -1;
      if (current == attempt && state == StreamState.CONNECTING) {
        attempt++;
        fail(new SttException(SttErrorCode.CONNECT_TIMEOUT, "no connection to the gateway within "
            + options.getConnectOptions().getTimeoutMs() + " ms", true, -1, null));
      }
    });
    webSockets.connect(connectOptions).onComplete(ar -> onConnected(current, ar));
  }

  private void onConnected(int current, AsyncResult<WebSocket> ar) {
    if (current != attempt || state == StreamState.CLOSED) {
      if (ar.succeeded()) {
        ar.result().close();
      }
      return;
    }
    cancelTimer(connectTimer);
    connectTimer = -1;
    if (ar.failed()) {
      fail(connectFailure(ar.cause()));
      return;
    }
    WebSocket ws = ar.result();
    socket = ws;
    coalesceFlushes(ws);
    ws.textMessageHandler(text -> {
      if (current == attempt) {
        onText(text);
      }
    });
    ws.binaryMessageHandler(b -> LOG.warn("stream {}: skipped a binary frame of {} bytes from the gateway",
        id, b.length()));
    ws.exceptionHandler(err -> LOG.debug("stream {}: socket error: {}", id, err.toString()));
    ws.closeHandler(v -> {
      if (current == attempt) {
        onSocketClosed(ws);
      }
    });
    ws.drainHandler(v -> sendPending());
    ws.writeTextMessage(ProtocolCodec.encode(sessionCreate()));
    state = inputEnded && pending.isEmpty() && unfinalized.isEmpty()
        ? StreamState.FINISHING : StreamState.CONNECTED;
    requeueUnfinalized();
    sendPending();
    if (inputEnded) {
      scheduleFinishTimer();
    }
  }

  /**
   * One write system call per event-loop turn instead of one per frame ({@link FlushCoalescer}).
   * Reaches the pipeline through Vert.x's internal {@code WebSocketInternal}; without it nothing
   * changes but the number of system calls.
   */
  private static void coalesceFlushes(WebSocket ws) {
    if (ws instanceof WebSocketInternal internal) {
      ChannelPipeline pipeline = internal.channelHandlerContext().pipeline();
      if (pipeline.get(FlushCoalescer.class) == null) {
        pipeline.addFirst("stt-flush-coalescer", new FlushCoalescer());
      }
    }
  }

  private SessionCreate sessionCreate() {
    SessionSettings settings = new SessionSettings(String.valueOf(sessionRate), options.getEncoding(),
        null, options.getLanguage(), options.getExtra().getMap());
    SessionCreate.Fallback fallback = null;
    if (!options.getFallback().isEmpty()) {
      fallback = new SessionCreate.Fallback(options.getFallback().stream()
          .map(f -> new FallbackModel(ModelName.parse(f.model()).model(), f.extra().getMap()))
          .toList());
    }
    return new SessionCreate(ModelName.parse(options.getModel()).wireModel(), settings, fallback,
        new SessionCreate.Connection(options.getConnectOptions().getTimeoutMs() / 1000.0,
            options.getConnectOptions().getMaxRetry()));
  }

  /** Puts the audio the gateway has not finalized back in front of the queue, with its finalize. */
  private void requeueUnfinalized() {
    boolean refinalize = !finalizeMarks.isEmpty();
    finalizeMarks.clear();
    if (refinalize) {
      pending.addFirst(FINALIZE);
    }
    Iterator<Chunk> back = unfinalized.descendingIterator();
    while (back.hasNext()) {
      Chunk c = back.next();
      pending.addFirst(c);
      pendingBytes += c.pcm.length;
    }
    unfinalized.clear();
    Chunk first = firstAudio();
    connectionOffsetSamples = first != null ? first.startSample : samplesChunked;
    samplesSent = connectionOffsetSamples;
    transcripts.setTimeOffset(connectionOffsetSamples / (double) sessionRate);
  }

  private Chunk firstAudio() {
    for (Chunk c : pending) {
      if (c != FINALIZE) {
        return c;
      }
    }
    return null;
  }

  private SttException connectFailure(Throwable cause) {
    if (cause instanceof UpgradeRejectedException rejected) {
      int status = rejected.getStatus();
      if (status == 401 || status == 403) {
        return new SttException(SttErrorCode.AUTHENTICATION_FAILED,
            "the gateway refused the credentials (HTTP " + status + ")", false, status, null);
      }
      if (status == 429) {
        return new SttException(SttErrorCode.QUOTA_EXCEEDED,
            "the gateway's quota is exceeded (HTTP 429)", true, status, null);
      }
      return new SttException(SttErrorCode.CONNECTION_FAILED,
          "the gateway rejected the upgrade (HTTP " + status + ")", true, status, null);
    }
    if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.TimeoutException) {
      return new SttException(SttErrorCode.CONNECT_TIMEOUT, "connecting to the gateway timed out",
          true, -1, cause);
    }
    return new SttException(SttErrorCode.CONNECTION_FAILED,
        "cannot connect to the gateway: " + cause.getMessage(), true, -1, cause);
  }

  private void onSocketClosed(WebSocket ws) {
    if (ws != socket) {
      return;
    }
    socket = null;
    if (state == StreamState.CLOSED) {
      return;
    }
    if (sessionCloseSent || (inputEnded && pending.isEmpty() && unfinalized.isEmpty())) {
      finish(null);
      return;
    }
    fail(new SttException(SttErrorCode.CONNECTION_CLOSED, "the gateway connection closed unexpectedly",
        true, ws.closeStatusCode() == null ? -1 : ws.closeStatusCode(), null));
  }

  /** A failure of the current connection: retry within the budget, or give up. */
  private void fail(SttException failure) {
    if (state == StreamState.CLOSED) {
      return;
    }
    attempt++;
    dropSocket();
    if (!failure.retryable()) {
      emitError(failure);
      finish(failure);
      return;
    }
    if (!reconnectPolicy.canRetry()) {
      SttException exhausted = new SttException(SttErrorCode.RETRIES_EXHAUSTED,
          "gave up after " + reconnectPolicy.used() + " retries: " + failure.getMessage(), false,
          failure.statusCode(), failure);
      emitError(exhausted);
      finish(exhausted);
      return;
    }
    emitError(failure);
    long delay = reconnectPolicy.nextDelay();
    reconnects++;
    state = StreamState.WAITING_TO_RECONNECT;
    LOG.info("stream {}: {}; reconnecting in {} ms (retry {} of {})", id, failure.getMessage(), delay,
        reconnectPolicy.used(), options.getConnectOptions().getMaxRetry());
    events.add(new SpeechEvent(SpeechEventType.RECONNECTING, id, List.of(), 0,
        failure.toError()));
    reconnectTimer = vertx.setTimer(Math.max(1, delay), t -> {
      reconnectTimer = -1;
      connect();
    });
  }

  private void emitError(SttException failure) {
    events.add(new SpeechEvent(SpeechEventType.ERROR, id, List.of(), 0, failure.toError()));
  }

  private void dropSocket() {
    WebSocket ws = socket;
    socket = null;
    if (ws != null && !ws.isClosed()) {
      ws.close();
    }
    sessionCloseSent = false;
  }

  /** The stream is over: ended normally ({@code failure == null}), aborted, or failed. */
  private void finish(SttException failure) {
    if (state == StreamState.CLOSED) {
      return;
    }
    state = StreamState.CLOSED;
    attempt++;
    cancelTimer(reconnectTimer);
    cancelTimer(connectTimer);
    cancelTimer(finishTimer);
    reconnectTimer = connectTimer = finishTimer = -1;
    dropSocket();
    pending.clear();
    unfinalized.clear();
    spareChunks.clear();
    pendingBytes = 0;
    terminalFailure = failure;
    deliverFailure();
    events.end();
    onClosed.accept(this);
    if (failure == null) {
      finished.tryComplete();
    } else {
      finished.tryFail(failure);
    }
    LOG.info("stream {}: closed{} after {} s of audio, {} reconnects{}", id,
        failure == null ? "" : " (" + failure.code().wireName() + ")",
        String.format("%.2f", audioSecondsSent()), reconnects,
        replayTrimmed == 0 ? "" : ", " + replayTrimmed + " chunks aged out of the replay buffer");
  }

  // ---------------------------------------------------------------- gateway -> client

  private void onText(String text) {
    ServerMessage message;
    try {
      message = ProtocolCodec.decodeServerMessage(text);
    } catch (ProtocolException e) {
      LOG.warn("stream {}: skipped a frame that is not the protocol: {}", id, e.getMessage());
      events.add(new SpeechEvent(SpeechEventType.ERROR, id, List.of(), 0,
          new SttException(SttErrorCode.PROTOCOL_ERROR, e.getMessage(), true, -1, null).toError()));
      return;
    }
    switch (message.type()) {
      case MessageType.SESSION_CREATED -> reconnectPolicy.reset();
      case MessageType.START_OF_SPEECH -> transcripts.startOfSpeech();
      case MessageType.INTERIM_TRANSCRIPT -> {
        transcripts.transcript(message, SpeechEventType.INTERIM_TRANSCRIPT, options.getLanguage());
        rescheduleFinishTimer();
      }
      case MessageType.PREFLIGHT_TRANSCRIPT -> {
        transcripts.transcript(message, SpeechEventType.PREFLIGHT_TRANSCRIPT, options.getLanguage());
        rescheduleFinishTimer();
      }
      case MessageType.FINAL_TRANSCRIPT -> onFinalTranscript(message);
      case MessageType.SESSION_FINALIZED -> onSessionFinalized();
      case MessageType.SESSION_CLOSED -> onSessionClosed();
      case MessageType.ERROR -> onGatewayError(message);
      default -> LOG.warn("stream {}: skipped a frame of unknown type '{}'", id, message.type());
    }
  }

  private void onFinalTranscript(ServerMessage message) {
    reconnectPolicy.reset();
    double end = transcripts.transcript(message, SpeechEventType.FINAL_TRANSCRIPT,
        options.getLanguage());
    long coveredSample = Math.round(end * sessionRate);
    while (!unfinalized.isEmpty() && unfinalized.peekFirst().endSample() <= coveredSample + 1) {
      recycle(unfinalized.pollFirst());
    }
    if (inputEnded) {
      finalTranscriptAfterEnd = true;
      rescheduleFinishTimer();
    }
  }

  private void onSessionFinalized() {
    Long mark = finalizeMarks.pollFirst();
    if (mark != null) {
      while (!unfinalized.isEmpty() && unfinalized.peekFirst().endSample() <= mark) {
        recycle(unfinalized.pollFirst());
      }
    }
    if (inputEnded && finalizeMarks.isEmpty() && pending.isEmpty()) {
      sendSessionClose();
    }
  }

  private void onSessionClosed() {
    if (inputEnded && pending.isEmpty() && (sessionCloseSent || finalizeMarks.isEmpty())) {
      finish(null);
      return;
    }
    fail(new SttException(SttErrorCode.SESSION_CLOSED,
        "the gateway closed the session before the input ended", true, -1, null));
  }

  private void onGatewayError(ServerMessage message) {
    int code = message.code() == null ? -1 : message.code();
    String text = message.message() == null ? "no message" : message.message();
    if (code == MessageType.ERROR_CODE_INACTIVE_SESSION) {
      fail(new SttException(SttErrorCode.INACTIVE_SESSION,
          "the gateway closed the session as inactive (code 2007): " + text, false, code, null));
      return;
    }
    fail(new SttException(SttErrorCode.GATEWAY_ERROR, "the gateway reported an error (code " + code
        + "): " + text, true, code, null));
  }

  // ---------------------------------------------------------------- client -> gateway

  private void sendPending() {
    WebSocket ws = socket;
    if (ws == null || (state != StreamState.CONNECTED && state != StreamState.FINISHING)) {
      return;
    }
    while (!pending.isEmpty() && !ws.writeQueueFull()) {
      Chunk c = pending.pollFirst();
      if (c == FINALIZE) {
        finalizeMarks.add(samplesSent);
        ws.writeTextMessage(ProtocolCodec.FINALIZE_FRAME);
        continue;
      }
      pendingBytes -= c.pcm.length;
      framesSent++;
      ws.writeFrame(AudioFrames.inputAudio(c.pcm));
      if (c.endSample() > highestSampleSent) {
        transcripts.addUsage((c.endSample() - Math.max(highestSampleSent, c.startSample))
            / (double) sessionRate);
        highestSampleSent = c.endSample();
      }
      samplesSent = c.endSample();
      if (replayLimitSamples == 0) {
        recycle(c); // encoded into the frame above: nothing refers to it any more
      } else {
        unfinalized.addLast(c);
        while (!unfinalized.isEmpty()
            && samplesSent - unfinalized.peekFirst().startSample > replayLimitSamples) {
          recycle(unfinalized.pollFirst());
          replayTrimmed++;
        }
      }
    }
    if (inputEnded && pending.isEmpty()) {
      state = StreamState.FINISHING;
    }
    checkDrain();
  }

  /** Keeps the array of a whole frame that nothing refers to any more for a later frame. */
  private void recycle(Chunk c) {
    if (c != null && c != FINALIZE && c.pcm.length == chunker.chunkBytes() && spareChunks.size() < MAX_SPARE_CHUNKS) {
      spareChunks.addFirst(c.pcm);
    }
  }

  private void checkDrain() {
    if (writeQueueWasFull && pendingBytes + inTransit.get() <= writeQueueMaxSize / 2) {
      writeQueueWasFull = false;
      Handler<Void> h = drainHandler;
      if (h != null) {
        h.handle(null);
      }
    }
  }

  private void enqueueAudio(byte[] sessionPcm) {
    for (byte[] chunk : chunker.push(sessionPcm)) {
      enqueueChunk(chunk);
    }
  }

  private void enqueueChunk(byte[] chunk) {
    pending.addLast(new Chunk(chunk, samplesChunked));
    samplesChunked += chunk.length / 2;
    pendingBytes += chunk.length;
  }

  private void enqueueFlush() {
    byte[] tail = resampler.drain();
    if (tail.length > 0) {
      enqueueAudio(tail);
    }
    byte[] last = chunker.flush();
    if (last != null) {
      enqueueChunk(last);
    }
    pending.addLast(FINALIZE);
  }

  private void sendSessionClose() {
    WebSocket ws = socket;
    if (ws == null || sessionCloseSent) {
      return;
    }
    sessionCloseSent = true;
    ws.writeTextMessage(ProtocolCodec.CLOSE_FRAME);
    cancelTimer(finishTimer);
    finishTimer = vertx.setTimer(CLOSE_GRACE_MS, t -> {
      finishTimer = -1;
      finish(null);
    });
  }

  private void scheduleFinishTimer() {
    if (sessionCloseSent || state == StreamState.CLOSED) {
      return;
    }
    cancelTimer(finishTimer);
    long delay = finalTranscriptAfterEnd ? options.getFinalQuietMs() : options.getFinalizationTimeoutMs();
    finishTimer = vertx.setTimer(Math.max(1, delay), t -> {
      finishTimer = -1;
      if (finalTranscriptAfterEnd) {
        if (socket != null) {
          sendSessionClose();
        } else {
          finish(null);
        }
      } else {
        SttException timeout = new SttException(SttErrorCode.FINALIZATION_TIMEOUT,
            "no final transcript within " + options.getFinalizationTimeoutMs()
                + " ms after the input ended", false, -1, null);
        emitError(timeout);
        finish(timeout);
      }
    });
  }

  private void rescheduleFinishTimer() {
    if (inputEnded && finishTimer != -1 && !sessionCloseSent) {
      scheduleFinishTimer();
    }
  }

  // ---------------------------------------------------------------- WriteStream

  @Override
  public Future<Void> write(Buffer data) {
    Promise<Void> accepted = Promise.promise();
    int length = data.length();
    if (inTransit.addAndGet(length) + pendingBytes >= writeQueueMaxSize) {
      writeQueueWasFull = true;
    }
    onContext(() -> {
      inTransit.addAndGet(-length);
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
    if (inputEnded || state == StreamState.CLOSED) {
      return new SttException(SttErrorCode.STREAM_CLOSED, "audio written after the stream ended");
    }
    int length = data.length();
    if ((length & 1) != 0) {
      return new SttException(SttErrorCode.INVALID_AUDIO,
          "pcm_s16le audio must have an even number of bytes, got " + length);
    }
    long expected = resampler.isPassThrough() ? length
        : ((long) Math.ceil(length / 2.0 * sessionRate / resampler.inRate()) + 1) * 2;
    if (pendingBytes + chunker.remainder() + expected > options.getMaxBufferedBytes()) {
      return new SttException(SttErrorCode.BUFFER_FULL, "the stream buffers "
          + (pendingBytes + chunker.remainder()) + " bytes already; limit maxBufferedBytes="
          + options.getMaxBufferedBytes() + " (is the gateway slower than the audio?)");
    }
    if (resampler.isPassThrough() && chunker.remainder() == 0 && length % chunker.chunkBytes() == 0) {
      // the usual case (whole 50 ms multiples at the session rate): cut the frames straight from
      // the buffer instead of copying it whole first and then again into frames
      int size = chunker.chunkBytes();
      for (int at = 0; at < length; at += size) {
        byte[] chunk = spareChunks.isEmpty() ? new byte[size] : spareChunks.pollFirst();
        data.getBytes(at, at + size, chunk, 0);
        enqueueChunk(chunk);
      }
    } else {
      byte[] pcm = data.getBytes();
      enqueueAudio(resampler.isPassThrough() ? pcm : resampler.process(pcm));
    }
    if (pendingBytes >= writeQueueMaxSize) {
      writeQueueWasFull = true;
    }
    sendPending();
    return null;
  }

  @Override
  public Future<Void> end() {
    onContext(() -> {
      if (inputEnded || state == StreamState.CLOSED) {
        return;
      }
      inputEnded = true;
      enqueueFlush();
      sendPending();
      if (state == StreamState.FINISHING || state == StreamState.CONNECTED) {
        scheduleFinishTimer();
      }
    });
    return finished.future();
  }

  @Override
  public Future<Void> flush() {
    Promise<Void> done = Promise.promise();
    onContext(() -> {
      if (inputEnded || state == StreamState.CLOSED) {
        done.fail(new SttException(SttErrorCode.STREAM_CLOSED, "flush after the stream ended"));
        return;
      }
      enqueueFlush();
      sendPending();
      done.complete();
    });
    return done.future();
  }

  @Override
  public boolean writeQueueFull() {
    return pendingBytes + inTransit.get() >= writeQueueMaxSize;
  }

  @Override
  public SpeechStream setWriteQueueMaxSize(int maxSize) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("writeQueueMaxSize must be >= 1, got " + maxSize);
    }
    this.writeQueueMaxSize = maxSize;
    return this;
  }

  @Override
  public SpeechStream drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  @Override
  public void updateOptions(String model, String language, JsonObject extra) {
    onContext(() -> {
      options = options.updatedWith(model, language, extra);
      WebSocket ws = socket;
      if (ws != null && state == StreamState.CONNECTED && (model != null || language != null || extra != null)) {
        Map<String, Object> extraMap = extra == null ? null : extra.getMap();
        String wireModel = model == null ? null : ModelName.parse(model).model();
        ws.writeTextMessage(ProtocolCodec.encode(new SessionUpdate(
            new SessionSettings(null, null, wireModel, language, extraMap))));
      }
    });
  }

  @Override
  public Future<Void> close() {
    onContext(() -> finish(null));
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
    onContext(() -> {
      exceptionHandler = handler;
      deliverFailure();
    });
    return this;
  }

  /** Hands the terminal failure to the exception handler once, whichever of the two came first. */
  private void deliverFailure() {
    if (terminalFailure != null && exceptionHandler != null && !failureDelivered) {
      failureDelivered = true;
      exceptionHandler.handle(terminalFailure);
    }
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

  // ---------------------------------------------------------------- introspection

  @Override
  public String id() {
    return id;
  }

  @Override
  public StreamState state() {
    return state;
  }

  @Override
  public long bufferedBytes() {
    return pendingBytes;
  }

  @Override
  public double audioSecondsSent() {
    return highestSampleSent / (double) sessionRate;
  }

  @Override
  public long framesSent() {
    return framesSent;
  }

  @Override
  public JsonObject status() {
    return new JsonObject()
        .put("state", state.name())
        .put("inputEnded", inputEnded)
        .put("bufferedBytes", pendingBytes)
        .put("audioSecondsSent", audioSecondsSent())
        .put("reconnects", reconnects)
        .put("framesSent", framesSent)
        .put("sessionSampleRate", sessionRate);
  }

  @Override
  public String toString() {
    return "SpeechStream{id=" + id + ", state=" + state + "}";
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void cancelTimer(long id) {
    if (id != -1) {
      vertx.cancelTimer(id);
    }
  }
}
