package org.voicerelay.stt.client.impl;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.voicerelay.stt.client.ModelFamily;
import org.voicerelay.stt.client.SpeechData;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.StreamOptions;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.client.VoiceActivityDetector;
import org.voicerelay.stt.protocol.AccessToken;
import org.voicerelay.stt.protocol.GatewayUrl;

/**
 * Holds the resolved options, the token issuer, one WebSocket client and one circuit breaker
 * shared by all streams (connections are per stream; the client is only the factory and its
 * event-loop binding).
 */
public final class SttClientImpl implements SttClient {

  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final Vertx vertx;
  private final AccessToken tokens;
  private final IdentificationHeaders identification;
  private final GatewayBreaker breaker;
  private final WebSocketClient webSockets;
  private final Set<SpeechStreamImpl> streams = ConcurrentHashMap.newKeySet();
  private volatile SttOptions options;

  public SttClientImpl(Vertx vertx, SttOptions options, Map<String, String> env) {
    this.vertx = vertx;
    SttOptions resolved = new SttOptions(options);
    resolved.setBaseUrl(GatewayUrl.resolveBase(options.getBaseUrl(), env));
    String key = firstNonEmpty(options.getApiKey(), env.get("LIVEKIT_INFERENCE_API_KEY"),
        env.get("LIVEKIT_API_KEY"));
    if (key == null) {
      throw new IllegalArgumentException("LiveKit API key is required: set SttOptions.apiKey or the "
          + "environment variable LIVEKIT_INFERENCE_API_KEY or LIVEKIT_API_KEY");
    }
    String secret = firstNonEmpty(options.getApiSecret(), env.get("LIVEKIT_INFERENCE_API_SECRET"),
        env.get("LIVEKIT_API_SECRET"));
    if (secret == null) {
      throw new IllegalArgumentException("LiveKit API secret is required: set SttOptions.apiSecret or "
          + "the environment variable LIVEKIT_INFERENCE_API_SECRET or LIVEKIT_API_SECRET");
    }
    resolved.setApiKey(key);
    resolved.setApiSecret(null);
    this.identification = IdentificationHeaders.of(options, env);
    resolved.setWorkerToken(null);
    GatewayUrl.sttEndpoint(resolved.getBaseUrl(), resolved.getModel());
    this.options = resolved;
    this.tokens = new AccessToken(vertx, key, secret);
    // Every stream holds one WebSocket for its whole life, and all streams of a client go to one
    // gateway host: Vert.x's default of 50 connections per endpoint would make the 51st stream wait
    // for one of the first 50 to end (and time out), so the client sets no limit of its own; the
    // number of streams is bounded by the caller (e.g. SttVerticle's maxSessions).
    this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(Integer.MAX_VALUE)
        .setMaxFrameSize(1024 * 1024)
        .setMaxMessageSize(4 * 1024 * 1024)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE,
            resolved.getConnectOptions().getTimeoutMs())));
    this.breaker = new GatewayBreaker(vertx, vertx.getOrCreateContext(), "stt-client-" + CLIENTS.incrementAndGet(),
        resolved.getCircuitBreakerOptions());
  }

  private static String firstNonEmpty(String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  @Override
  public SpeechStream stream(StreamOptions streamOptions) {
    SttOptions snapshot = new SttOptions(options);
    if (streamOptions.getLanguage() != null) {
      snapshot.setLanguage(streamOptions.getLanguage());
    }
    if (streamOptions.getModel() != null) {
      snapshot.setModel(streamOptions.getModel());
    }
    if (streamOptions.getExtra() != null) {
      snapshot.getExtra().mergeIn(streamOptions.getExtra());
    }
    if (streamOptions.getFallback() != null) {
      snapshot.setFallback(streamOptions.getFallback());
    }
    KeytermHold keyterms = new KeytermHold(snapshot, streamOptions.getKeyterms());
    keyterms.applyTo(snapshot);
    int inputRate = streamOptions.getInputSampleRate() != null
        ? streamOptions.getInputSampleRate() : snapshot.getSampleRate();
    GatewayAccess gateway = new GatewayAccess(vertx, webSockets, tokens, identification.forStream(streamOptions), breaker);
    SpeechStreamImpl stream = new SpeechStreamImpl(gateway, vertx.getOrCreateContext(), snapshot, keyterms,
        endOfSpeechFinalize(streamOptions, snapshot) ? VoiceActivityDetector.energy() : null, inputRate, streams::remove);
    streams.add(stream);
    stream.start();
    return stream;
  }

  /** The turn hook as asked, else on for the models that end an utterance only when asked. */
  private static boolean endOfSpeechFinalize(StreamOptions stream, SttOptions options) {
    return stream.getEndOfSpeechFinalize() != null ? stream.getEndOfSpeechFinalize()
        : ModelFamily.of(options.getModel()) == ModelFamily.SPEECHMATICS;
  }

  @Override
  public void updateOptions(String model, String language, JsonObject extra) {
    options = options.updatedWith(model, language, extra);
    for (SpeechStreamImpl s : streams) {
      s.updateOptions(model, language, extra);
    }
  }

  @Override
  public Future<SpeechEvent> recognize(Buffer pcm, int sampleRate) {
    Promise<SpeechEvent> result = Promise.promise();
    SpeechStreamImpl stream = (SpeechStreamImpl) stream(new StreamOptions().setInputSampleRate(sampleRate));
    List<SpeechData> finals = new ArrayList<>();
    String[] requestId = new String[1];
    stream.handler(event -> {
      if (event.type() == SpeechEventType.FINAL_TRANSCRIPT && !event.alternatives().isEmpty()) {
        finals.add(event.alternatives().get(0));
        requestId[0] = event.requestId();
      }
    });
    stream.exceptionHandler(result::tryFail);
    stream.endHandler(v -> result.tryComplete(joined(requestId[0] == null ? stream.id() : requestId[0],
        finals)));
    stream.context().runOnContext(v -> new RecordingWriter(stream, pcm, sampleRate, result).writeMore());
    return result.future();
  }

  /** Writes a recording in 100 ms slices as fast as the stream's write queue lets it, then ends. */
  private static final class RecordingWriter {
    private final SpeechStream stream;
    private final Buffer pcm;
    private final int sliceBytes;
    private final Promise<SpeechEvent> result;
    private int offset;
    private boolean ended;

    RecordingWriter(SpeechStream stream, Buffer pcm, int sampleRate, Promise<SpeechEvent> result) {
      this.stream = stream;
      this.pcm = pcm;
      this.sliceBytes = Math.max(2, sampleRate / 10 * 2);
      this.result = result;
      stream.drainHandler(v -> writeMore());
    }

    void writeMore() {
      while (offset < pcm.length() && !stream.writeQueueFull() && !result.future().isComplete()) {
        int end = Math.min(pcm.length(), offset + sliceBytes);
        stream.write(pcm.slice(offset, end)).onFailure(result::tryFail);
        offset = end;
      }
      if (!ended && offset >= pcm.length() && !result.future().isComplete()) {
        ended = true;
        stream.end();
      }
    }
  }

  private static SpeechEvent joined(String requestId, List<SpeechData> finals) {
    StringBuilder text = new StringBuilder();
    List<org.voicerelay.stt.client.TimedWord> words = new ArrayList<>();
    double start = finals.isEmpty() ? 0 : finals.get(0).startTime();
    double end = 0;
    double confidence = 0;
    String language = null;
    for (SpeechData d : finals) {
      if (!d.text().isBlank()) {
        if (text.length() > 0) {
          text.append(' ');
        }
        text.append(d.text().trim());
      }
      words.addAll(d.words());
      end = Math.max(end, d.endTime());
      confidence += d.confidence();
      language = language == null ? d.language() : language;
    }
    confidence = finals.isEmpty() ? 0 : confidence / finals.size();
    SpeechData all = new SpeechData(text.toString(), language, start, end, confidence, null, words,
        null);
    return new SpeechEvent(SpeechEventType.FINAL_TRANSCRIPT, requestId, List.of(all), 0, null);
  }

  @Override
  public CircuitBreakerState circuitState() {
    return breaker.state();
  }

  @Override
  public SttClient circuitStateHandler(Handler<CircuitBreakerState> handler) {
    Context context = vertx.getOrCreateContext();
    breaker.stateHandler(context, handler);
    return this;
  }

  @Override
  public SttOptions options() {
    return new SttOptions(options);
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closing = new ArrayList<>();
    for (SpeechStreamImpl s : streams) {
      closing.add(s.close());
    }
    return Future.join(closing).transform(ar -> {
      breaker.close();
      return webSockets.close();
    });
  }

  @Override
  public String toString() {
    return "SttClient" + options.toJson().encode();
  }
}
