package org.voicerelay.stt.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.audio.AudioFormat;
import org.voicerelay.stt.audio.Resampler;
import org.voicerelay.stt.gateway.engine.Recognition;
import org.voicerelay.stt.gateway.engine.RecognitionRequest;
import org.voicerelay.stt.gateway.engine.Recognizer;
import org.voicerelay.stt.internal.TimerSlot;
import org.voicerelay.stt.protocol.MessageType;
import org.voicerelay.stt.protocol.ModelName;
import org.voicerelay.stt.protocol.ProtocolCodec;
import org.voicerelay.stt.protocol.ProtocolException;
import org.voicerelay.stt.protocol.ServerMessage;

/**
 * The server side of one gateway WebSocket: reads the client's messages ({@link ClientFrames},
 * audio by {@link InputAudio}'s fast path), feeds the engine, and has its results written back as
 * protocol frames ({@link EngineResults}).
 *
 * <p>Everything runs on the verticle's event loop; engine callbacks, which may come from the
 * engine's own threads, hop onto it first. So the state below needs no locks, and a reader can
 * follow a session as a small state machine: {@code AWAITING_CREATE -> OPEN -> (CLOSING) -> CLOSED}.
 * One timer at a time: the idle and liveness check while open (a client quiet for the ping
 * interval gets a ping, one silent for the liveness timeout is taken for gone), the close deadline
 * while closing.
 */
final class GatewaySession implements EngineResults.Session {

  private static final Logger LOG = LoggerFactory.getLogger(GatewaySession.class);

  static final short CLOSE_NORMAL = 1000;
  static final short CLOSE_GOING_AWAY = 1001;
  static final short CLOSE_POLICY_VIOLATION = 1008;
  static final short CLOSE_MESSAGE_TOO_BIG = 1009;
  static final short CLOSE_INTERNAL_ERROR = 1011;
  static final short CLOSE_TRY_AGAIN_LATER = 1013;

  enum State { AWAITING_CREATE, OPEN, CLOSING, CLOSED }

  private final Context context;
  private final ServerWebSocket socket;
  private final String sessionId;
  private final String defaultModel;
  /** The caller's identification headers, for the log (never the worker token). */
  private final String caller;
  private final Recognizer recognizer;
  private final LocalGatewayOptions options;
  private final Handler<GatewaySession> onEnd;
  private final long connectedAt = System.nanoTime();

  private State state = State.AWAITING_CREATE;
  private final TimerSlot timer;
  private long lastActivity = System.nanoTime();
  /** Any frame, pongs included: the client is still there. */
  private long lastHeard = System.nanoTime();
  private int pendingFinalizes;
  private long audioBytesIn;
  private int clientSampleRate;
  private String model;
  private String language;
  private Map<String, Object> extra = Map.of();
  private ProviderSettings settings = ProviderSettings.of(Map.of());
  private Resampler resampler;
  private Recognition recognition;

  GatewaySession(Context context, ServerWebSocket socket, String sessionId, String defaultModel, String caller,
      Recognizer recognizer, LocalGatewayOptions options, Handler<GatewaySession> onEnd) {
    this.caller = caller;
    this.context = context;
    this.timer = new TimerSlot(context.owner());
    this.socket = socket;
    this.sessionId = sessionId;
    this.defaultModel = defaultModel;
    this.recognizer = recognizer;
    this.options = options;
    this.onEnd = onEnd;
  }

  @Override
  public String id() {
    return sessionId;
  }

  /** Installs the socket handlers and the idle timer. */
  void start() {
    ClientFrames frames = new ClientFrames(options.getMaxMessageSize(), this::onText, this::onBinary,
        this::onTooLarge);
    socket.frameHandler(frame -> {
      lastHeard = System.nanoTime();
      frames.handle(frame);
    });
    socket.exceptionHandler(err -> LOG.debug("session {}: socket error: {}", sessionId, err.toString()));
    socket.closeHandler(v -> release("client closed the socket"));
    armTimer(options.getIdleTimeout());
  }

  /** The gateway is stopping: tell the client the session is over and close the socket. */
  Future<Void> shutdown() {
    if (state == State.CLOSED) {
      return Future.succeededFuture();
    }
    send(ServerMessage.of(MessageType.SESSION_CLOSED));
    release("gateway stopping");
    return socket.close(CLOSE_GOING_AWAY, "gateway stopping");
  }

  // ---- client frames

  private void onText(Buffer utf8) {
    if (state == State.CLOSED || state == State.CLOSING) {
      return;
    }
    lastActivity = System.nanoTime();
    byte[] plain = InputAudio.plain(utf8);
    if (plain != null) {
      onAudio(plain);
      return;
    }
    String text = utf8.toString(StandardCharsets.UTF_8);
    JsonNode frame;
    try {
      frame = ProtocolCodec.readObject(text);
    } catch (ProtocolException e) {
      sendError(GatewayErrorCode.MALFORMED_JSON, e.getMessage());
      return;
    }
    String type = frame.get("type").asText();
    switch (type) {
      case MessageType.SESSION_CREATE -> onCreate(frame);
      case MessageType.INPUT_AUDIO -> {
        JsonNode payload = frame.get("audio");
        if (payload == null || !payload.isTextual()) {
          sendError(GatewayErrorCode.INVALID_MESSAGE, "input_audio needs a string \"audio\"");
        } else {
          onAudio(payload.asText());
        }
      }
      case MessageType.SESSION_FINALIZE -> onFinalize();
      case MessageType.SESSION_UPDATE -> onUpdate(frame);
      case MessageType.SESSION_CLOSE -> onCloseRequest();
      default -> sendError(GatewayErrorCode.UNKNOWN_MESSAGE_TYPE,
          "unknown message type: " + ClientSettings.abbreviate(type));
    }
  }

  private void onBinary() {
    if (state == State.CLOSED || state == State.CLOSING) {
      return;
    }
    lastActivity = System.nanoTime();
    sendError(GatewayErrorCode.BINARY_FRAME,
        "binary frames are not supported; send audio as input_audio text frames");
  }

  private void onTooLarge(int bytes) {
    if (state == State.CLOSED) {
      return;
    }
    fail(GatewayErrorCode.INVALID_MESSAGE, "a message of " + bytes + " bytes or more; maxMessageSize is "
        + options.getMaxMessageSize(), CLOSE_MESSAGE_TOO_BIG);
  }

  private void onCreate(JsonNode frame) {
    if (state != State.AWAITING_CREATE) {
      sendError(GatewayErrorCode.SESSION_ALREADY_CREATED, "session " + sessionId + " already exists");
      return;
    }
    ClientSettings requested;
    try {
      requested = ClientSettings.ofCreate(frame, defaultModel, options.getLanguage());
    } catch (ClientSettings.Refusal refusal) {
      sendError(refusal.code, refusal.getMessage());
      return;
    }
    String requestedLanguage = requested.language();
    if (!recognizer.recognizes(requestedLanguage)) {
      sendError(GatewayErrorCode.UNSUPPORTED_LANGUAGE, unsupportedLanguage(requestedLanguage));
      return;
    }
    model = requested.model().wireModel() == null ? ModelName.AUTO : requested.model().model();
    language = requestedLanguage;
    extra = requested.extra();
    int sampleRate = requested.sampleRate();
    this.settings = ProviderSettings.of(extra);
    clientSampleRate = sampleRate;
    resampler = new Resampler(sampleRate, recognizer.sampleRate());
    try {
      recognition = recognizer.open(request(), new EngineResults(context, this));
    } catch (RuntimeException e) {
      fail(GatewayErrorCode.ENGINE_FAILURE, "engine failed to open a recognition: " + e.getMessage(),
          CLOSE_INTERNAL_ERROR);
      return;
    }
    state = State.OPEN;
    send(new ServerMessage(MessageType.SESSION_CREATED, sessionId, null, null, null, null, null, null,
        null, null, null, null, null));
    LOG.info("session {} opened: model={} language={} sampleRate={} engine={} interims={} endOfUtteranceSilenceMs={}"
        + " keyterms={} {}", sessionId, model, language, sampleRate, recognizer.name(), this.settings.interimResults(),
        this.settings.endOfUtteranceSilenceMs() == null ? "engine" : this.settings.endOfUtteranceSilenceMs(),
        this.settings.keyterms().size(), caller);
  }

  private RecognitionRequest request() {
    return new RecognitionRequest(model, language, extra, settings.endOfUtteranceSilenceMs(), settings.keyterms());
  }

  private String unsupportedLanguage(String requested) {
    return "language " + ClientSettings.abbreviate(requested) + " is not one the " + recognizer.name()
        + " engine can recognise (it recognises " + recognizer.languages() + ")";
  }

  private void onAudio(String base64) {
    if (state == State.AWAITING_CREATE) {
      sendError(GatewayErrorCode.SESSION_NOT_CREATED, "input_audio before session.create");
      return;
    }
    byte[] pcm;
    try {
      pcm = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      sendError(GatewayErrorCode.INVALID_BASE64, "input_audio \"audio\" is not valid base64");
      return;
    }
    onAudio(pcm);
  }

  private void onAudio(byte[] pcm) {
    if (state == State.AWAITING_CREATE) {
      sendError(GatewayErrorCode.SESSION_NOT_CREATED, "input_audio before session.create");
      return;
    }
    if (!AudioFormat.isWholeSamples(pcm.length)) {
      sendError(GatewayErrorCode.ODD_LENGTH_AUDIO, "input_audio: " + AudioFormat.oddLengthMessage(pcm.length));
      return;
    }
    audioBytesIn += pcm.length;
    feed(resampler.isPassThrough() ? pcm : resampler.process(pcm));
  }

  private void onFinalize() {
    if (state == State.AWAITING_CREATE) {
      sendError(GatewayErrorCode.SESSION_NOT_CREATED, "session.finalize before session.create");
      return;
    }
    feed(resampler.drain());
    if (state != State.OPEN) {
      return;
    }
    pendingFinalizes++;
    recognition.finalizeUtterance();
  }

  private void onUpdate(JsonNode frame) {
    if (state == State.AWAITING_CREATE) {
      sendError(GatewayErrorCode.SESSION_NOT_CREATED, "session.update before session.create");
      return;
    }
    JsonNode settings = frame.path("settings");
    if (!settings.isObject()) {
      sendError(GatewayErrorCode.INVALID_MESSAGE, "session.update needs a \"settings\" object");
      return;
    }
    Map<String, Object> updatedExtra;
    try {
      updatedExtra = ClientSettings.extra(settings);
    } catch (ClientSettings.Refusal refusal) {
      sendError(refusal.code, refusal.getMessage());
      return;
    }
    String nextLanguage = ClientSettings.text(settings, "language", language);
    if (!recognizer.recognizes(nextLanguage)) {
      sendError(GatewayErrorCode.UNSUPPORTED_LANGUAGE, unsupportedLanguage(nextLanguage));
      return;
    }
    if (updatedExtra != null) {
      Map<String, Object> merged = new java.util.LinkedHashMap<>(extra);
      merged.putAll(updatedExtra);
      extra = merged;
      this.settings = ProviderSettings.of(extra);
    }
    model = ClientSettings.text(settings, "model", model);
    language = nextLanguage;
    if (state == State.OPEN) {
      recognition.update(request());
    }
    LOG.debug("session {} updated: model={} language={} interims={} endOfUtteranceSilenceMs={} keyterms={}",
        sessionId, model, language, this.settings.interimResults(), this.settings.endOfUtteranceSilenceMs(),
        this.settings.keyterms().size());
  }

  /**
   * {@code session.close}: a finalize already asked for is still answered, then the session ends;
   * audio not yet finalized is dropped, as the client has said it wants nothing more.
   */
  private void onCloseRequest() {
    if (pendingFinalizes == 0) {
      finishClose("client sent session.close");
      return;
    }
    state = State.CLOSING;
    timer.start(options.getIdleTimeout(), this::onTimer);
  }

  // ---- engine

  private void feed(byte[] pcm) {
    if (pcm.length == 0 || state != State.OPEN) {
      return;
    }
    long pending = recognition.pendingBytes();
    if (pending + pcm.length > options.getMaxPendingBytes()) {
      fail(GatewayErrorCode.AUDIO_BUFFER_OVERFLOW, "the engine is " + pending
          + " bytes behind; the limit is " + options.getMaxPendingBytes() + " bytes per session",
          CLOSE_POLICY_VIOLATION);
      return;
    }
    recognition.accept(pcm);
  }

  // ---- engine results (EngineResults.Session, on the event loop)

  @Override
  public boolean live() {
    return state == State.OPEN || state == State.CLOSING;
  }

  @Override
  public String language() {
    return language;
  }

  @Override
  public boolean interimResults() {
    return settings.interimResults();
  }

  @Override
  public void finalizeAnswered() {
    pendingFinalizes = Math.max(0, pendingFinalizes - 1);
    if (state == State.CLOSING && pendingFinalizes == 0) {
      finishClose("client sent session.close");
    }
  }

  @Override
  public void engineFailed(Throwable failure) {
    fail(GatewayErrorCode.ENGINE_FAILURE, "engine failure: " + failure.getMessage(), CLOSE_INTERNAL_ERROR);
  }

  // ---- timers and ending

  /** While open: the idle deadline in {@code delayMillis}, or the next liveness check if that comes first. */
  private void armTimer(long delayMillis) {
    timer.start(Math.min(delayMillis, options.getPingInterval()), this::onTimer);
  }

  private void onTimer() {
    switch (state) {
      case CLOSED -> { }
      case CLOSING -> finishClose("engine did not finish the last finalize in time");
      case AWAITING_CREATE, OPEN -> {
        long now = System.nanoTime();
        long silentFor = (now - lastHeard) / 1_000_000;
        long idleFor = pendingFinalizes > 0 ? 0 : (now - lastActivity) / 1_000_000;
        if (silentFor >= options.getLivenessTimeout()) {
          LOG.info("session {}: nothing from the client for {} ms; closing it", sessionId, silentFor);
          release("client silent for " + silentFor + " ms");
          socket.close(CLOSE_GOING_AWAY, "client silent");
        } else if (idleFor >= options.getIdleTimeout()) {
          fail(GatewayErrorCode.INACTIVE_SESSION, "session inactive for " + idleFor
              + " ms; the idle timeout is " + options.getIdleTimeout() + " ms", CLOSE_NORMAL);
        } else {
          if (silentFor >= options.getPingInterval()) {
            socket.writePing(Buffer.buffer());
          }
          armTimer(options.getIdleTimeout() - idleFor);
        }
      }
    }
  }

  private void finishClose(String reason) {
    if (options.isSessionClosedReply()) {
      send(ServerMessage.of(MessageType.SESSION_CLOSED));
    }
    release(reason);
    socket.close(CLOSE_NORMAL);
  }

  private void fail(int code, String message, short closeCode) {
    sendError(code, message);
    release("error " + code + ": " + message);
    socket.close(closeCode);
  }

  /** Frees everything the session holds; safe to call more than once. */
  private void release(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasCreated = recognition != null;
    state = State.CLOSED;
    timer.cancel();
    if (recognition != null) {
      recognition.close();
      recognition = null;
    }
    resampler = null;
    onEnd.handle(this);
    long durationMs = (System.nanoTime() - connectedAt) / 1_000_000;
    if (wasCreated) {
      LOG.info("session {} closed: model={} duration={}ms audio={}s reason={}", sessionId, model,
          durationMs, String.format("%.2f", audioBytesIn / 2.0 / clientSampleRate), reason);
    } else {
      LOG.info("session {} closed before session.create: duration={}ms reason={}", sessionId,
          durationMs, reason);
    }
  }

  @Override
  public void send(ServerMessage message) {
    socket.writeTextMessage(ProtocolCodec.encode(message));
  }

  private void sendError(int code, String message) {
    LOG.debug("session {}: error {}: {}", sessionId, code, message);
    send(ServerMessage.error(code, message));
  }
}
