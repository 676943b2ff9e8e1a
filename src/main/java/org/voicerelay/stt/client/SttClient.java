package org.voicerelay.stt.client;

import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.client.impl.SttClientImpl;

/**
 * A client of the LiveKit Inference STT gateway. Holds the options and credentials shared by its
 * streams; cheap to create, safe to share between verticles.
 */
public interface SttClient {

  /**
   * Creates a client, reading unset credentials and base URL from the environment.
   *
   * @throws IllegalArgumentException if the API key or secret is missing; the message names the
   *     options and environment variables that supply them
   */
  static SttClient create(Vertx vertx, SttOptions options) {
    return new SttClientImpl(vertx, options, System.getenv());
  }

  /** Opens a stream at the client's language and session sample rate. */
  default SpeechStream stream() {
    return stream(new StreamOptions());
  }

  /** Opens a stream. It connects at once and buffers what is written meanwhile. */
  SpeechStream stream(StreamOptions options);

  /**
   * Changes model, language and provider options (each when non-null; {@code extra} is merged)
   * for new streams and every open stream, which sends {@code session.update} on its live socket
   * (an {@code extra} with the stream's keyterms merged in again, see
   * {@link SpeechStream#updateOptions}).
   */
  void updateOptions(String model, String language, JsonObject extra);

  /**
   * Transcribes a whole recording through one streaming session: the final transcripts joined in
   * order. A recording of any length is written as the gateway takes it (paced by the stream's
   * write queue), so it is not bound by {@code maxBufferedBytes}. Beyond the Python client, which
   * cannot do batch recognition.
   *
   * @param pcm pcm_s16le mono
   * @param sampleRate its sample rate
   */
  Future<SpeechEvent> recognize(Buffer pcm, int sampleRate);

  /**
   * The state of the circuit breaker all streams of this client share: {@code CLOSED} while
   * the gateway works, {@code OPEN} after {@code maxFailures} connection attempts failed with no
   * success in between (streams then wait instead of connecting), {@code HALF_OPEN} while one
   * stream probes. A health signal; also a Micrometer gauge ({@code stt.client.circuit.state})
   * when Vert.x has a Micrometer registry. Any thread.
   */
  CircuitBreakerState circuitState();

  /**
   * Called with every change of {@link #circuitState()}, on the context current when this was
   * called (else an event-loop context). Replaces the previous handler; null removes it.
   */
  SttClient circuitStateHandler(Handler<CircuitBreakerState> handler);

  /** A copy of the current options (without the secret if it came from the environment). */
  SttOptions options();

  /** Closes every open stream. */
  Future<Void> close();
}
