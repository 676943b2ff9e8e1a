package org.voicerelay.stt.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.client.impl.SttClientImpl;
import org.voicerelay.stt.protocol.FallbackModel;

/** Options, credentials and what the client shows of them. */
@ExtendWith(VertxExtension.class)
class SttClientOptionsTest {

  private static final String SECRET = "very-secret-value-0123456789abcdef";

  @Test
  void credentialsComeFromTheInferenceVariablesBeforeTheGenericOnes(Vertx vertx) {
    SttClient client = new SttClientImpl(vertx, new SttOptions(), Map.of(
        "LIVEKIT_INFERENCE_API_KEY", "inference-key", "LIVEKIT_API_KEY", "generic-key",
        "LIVEKIT_INFERENCE_API_SECRET", SECRET));
    assertEquals("inference-key", client.options().getApiKey());
  }

  @Test
  void aMissingKeyFailsAtCreationNamingTheVariables(Vertx vertx) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SttClientImpl(vertx, new SttOptions(), Map.of("LIVEKIT_API_SECRET", SECRET)));
    assertTrue(e.getMessage().contains("LIVEKIT_INFERENCE_API_KEY"));
    assertTrue(e.getMessage().contains("LIVEKIT_API_KEY"));
  }

  @Test
  void aMissingSecretFailsAtCreationNamingTheVariables(Vertx vertx) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SttClientImpl(vertx, new SttOptions(), Map.of("LIVEKIT_API_KEY", "k")));
    assertTrue(e.getMessage().contains("LIVEKIT_INFERENCE_API_SECRET"));
    assertTrue(e.getMessage().contains("LIVEKIT_API_SECRET"));
  }

  @Test
  void theBaseUrlFallsBackToTheEnvironmentThenTheCloud(Vertx vertx) {
    Map<String, String> env = Map.of("LIVEKIT_API_KEY", "k", "LIVEKIT_API_SECRET", SECRET);
    assertEquals("https://agent-gateway.livekit.cloud/v1",
        new SttClientImpl(vertx, new SttOptions(), env).options().getBaseUrl());
    Map<String, String> staging = new java.util.HashMap<>(env);
    staging.put("LIVEKIT_URL", "wss://x.staging.livekit.cloud");
    assertEquals("https://agent-gateway.staging.livekit.cloud/v1",
        new SttClientImpl(vertx, new SttOptions(), staging).options().getBaseUrl());
    staging.put("LIVEKIT_INFERENCE_URL", "http://127.0.0.1:7880/v1");
    assertEquals("http://127.0.0.1:7880/v1",
        new SttClientImpl(vertx, new SttOptions(), staging).options().getBaseUrl());
  }

  @Test
  void theSecretNeverAppearsInToStringOrJson(Vertx vertx) {
    SttOptions options = new SttOptions().setApiKey("k").setApiSecret(SECRET);
    assertFalse(options.toString().contains(SECRET));
    assertFalse(options.toJson().encode().contains(SECRET));
    SttClient client = SttClient.create(vertx, options.setBaseUrl("ws://127.0.0.1:1"));
    assertFalse(client.toString().contains(SECRET));
    assertFalse(client.options().toString().contains(SECRET));
  }

  @Test
  void aModelWithALanguageSuffixSetsBoth() {
    SttOptions options = new SttOptions().setModel("deepgram/nova-3:es");
    assertEquals("deepgram/nova-3", options.getModel());
    assertEquals("es", options.getLanguage());
    SttOptions explicit = new SttOptions().setLanguage("fr").setModel("deepgram/nova-3:es");
    assertEquals("fr", explicit.getLanguage(), "an explicit language wins");
  }

  @Test
  void optionsSurviveAJsonRoundTrip() {
    SttOptions options = new SttOptions().setModel("cartesia/ink-whisper").setLanguage("en")
        .setSampleRate(24000).setApiKey("k")
        .setProviderOptions(new CartesiaOptions().setMinVolume(0.2))
        .setProviderOptions(new AssemblyAiOptions().setFormatTurns(true))
        .addFallback(new FallbackModel("deepgram/nova-3", new JsonObject().put("punctuate", true)))
        .setConnectOptions(new ConnectOptions().setMaxRetry(5).setMaxDelayMs(500))
        .setReplayBufferMs(10_000);
    SttOptions copy = new SttOptions(options.toJson());
    assertEquals(options.toJson(), copy.toJson());
    assertEquals(0.2, copy.getExtra().getDouble("min_volume"));
    assertEquals(true, copy.getExtra().getBoolean("format_turns"));
    assertEquals(5, copy.getConnectOptions().getMaxRetry());
    assertNull(copy.getApiSecret());
  }

  @Test
  void invalidOptionsAreRefusedNamingTheOptionAndValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SttOptions().setSampleRate(1234));
    assertTrue(e.getMessage().contains("sampleRate") && e.getMessage().contains("1234"));
    assertThrows(IllegalArgumentException.class, () -> new SttOptions().setEncoding("opus"));
    assertThrows(IllegalArgumentException.class, () -> new ConnectOptions().setMaxRetry(-1));
  }

  @Test
  void defaultsMatchTheReferenceClients() {
    SttOptions options = new SttOptions();
    assertEquals(16000, options.getSampleRate());
    assertEquals("pcm_s16le", options.getEncoding());
    assertEquals(10_000, options.getConnectOptions().getTimeoutMs());
    assertEquals(3, options.getConnectOptions().getMaxRetry());
    assertEquals(100, options.getConnectOptions().getInitialDelayMs(), "LiveKit's fast first retry, jittered");
    assertEquals(4.0, options.getConnectOptions().getMultiplier());
    assertEquals(250, options.getConnectOptions().getMaxDelayMs(),
        "an eighth of LiveKit's 2 s retry interval: a stream retrying on its own finds the gateway back within a quarter second");
    assertEquals(10_000, options.getConnectOptions().getHealthyAfterMs());
    assertEquals(5, options.getCircuitBreakerOptions().getMaxFailures());
    assertEquals(100, options.getCircuitBreakerOptions().getResetTimeout(),
        "one probe per client every 100 ms: parked streams learn the gateway is back within about 0.1 s");
  }
}
