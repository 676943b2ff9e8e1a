package org.voicerelay.stt.gateway.sphinx;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.audio.WavFile;
import org.voicerelay.stt.gateway.engine.Recognition;
import org.voicerelay.stt.gateway.engine.RecognitionListener;
import org.voicerelay.stt.gateway.engine.RecognitionRequest;
import org.voicerelay.stt.gateway.engine.Recognizer;

/**
 * The CMU Sphinx4 engine with its bundled US-English model, 16 kHz. Loading costs seconds and a few
 * hundred megabytes per decoder, so an engine is loaded once per process for a given configuration:
 * every {@link #load} with equal options shares it, and it is released when the last of them is
 * closed. The request's model and extra options are ignored but for the end-of-utterance silence;
 * a language other than English is refused ({@link #recognizes}).
 */
public final class SphinxRecognizer implements Recognizer {

  private static final Logger LOG = LoggerFactory.getLogger(SphinxRecognizer.class);
  private static final Map<String, SharedEngine> ENGINES = new HashMap<>();

  private final SharedEngine engine;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SphinxRecognizer(SharedEngine engine) {
    this.engine = engine;
  }

  /**
   * Loads (or shares) the engine on threads of its own. {@code config} holds {@link SphinxOptions}'
   * keys; null or empty means the defaults. Fails with {@link IllegalArgumentException} for bad
   * options.
   */
  public static Future<Recognizer> load(Vertx vertx, JsonObject config) {
    SphinxOptions options;
    try {
      options = new SphinxOptions(config == null ? new JsonObject() : config);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    String key = options.toJson().encode();
    SharedEngine engine;
    synchronized (ENGINES) {
      engine = ENGINES.get(key);
      if (engine == null) {
        engine = new SharedEngine(key, options.isWordConfidence(), options.getEndSilenceMs());
        ENGINES.put(key, engine);
        SharedEngine starting = engine;
        loadPool(options).whenComplete((pool, failure) -> {
          if (failure == null) {
            starting.pool.complete(pool);
          } else {
            synchronized (ENGINES) {
              ENGINES.remove(key, starting);
            }
            starting.pool.completeExceptionally(failure instanceof CompletionException c ? c.getCause() : failure);
          }
        });
      }
      engine.users++;
    }
    SharedEngine shared = engine;
    return Future.fromCompletionStage(shared.pool, vertx.getOrCreateContext())
        .<Recognizer>map(pool -> new SphinxRecognizer(shared))
        .onFailure(failure -> shared.release());
  }

  /**
   * Builds the decoders in parallel on threads of their own and warms each up. That takes seconds,
   * minutes on a busy machine, so no Vert.x thread waits for it, not even a worker (whose
   * blocked-thread check would fire and whose pool is shared with the application).
   */
  static CompletableFuture<DecoderPool> loadPool(SphinxOptions options) {
    long started = System.nanoTime();
    ExecutorService loaders = Executors.newFixedThreadPool(options.getDecoders(), runnable -> {
      Thread thread = new Thread(runnable, "sphinx4-loader");
      thread.setDaemon(true);
      return thread;
    });
    CompletableFuture<byte[]> warmUp = CompletableFuture.supplyAsync(
        () -> options.isWarmUp() ? warmUpAudio() : null, loaders);
    List<CompletableFuture<SphinxDecoder>> pending = new ArrayList<>();
    for (int i = 0; i < options.getDecoders(); i++) {
      pending.add(warmUp.thenApplyAsync(audio -> {
        SphinxDecoder decoder = SphinxDecoder.load(options);
        if (audio != null) {
          decoder.warmUp(audio);
        }
        return decoder;
      }, loaders));
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
        .thenApply(all -> {
          List<SphinxDecoder> decoders = pending.stream().map(CompletableFuture::join).toList();
          LOG.info("sphinx4 engine loaded: {} decoder(s) in {} ms", decoders.size(),
              (System.nanoTime() - started) / 1_000_000);
          return new DecoderPool(decoders);
        })
        .whenComplete((pool, failure) -> loaders.shutdown());
  }

  private static byte[] warmUpAudio() {
    try (InputStream in = SphinxRecognizer.class.getResourceAsStream("warm-up.wav")) {
      if (in == null) {
        throw new IllegalStateException("warm-up.wav is missing from the classpath");
      }
      return WavFile.parse(in.readAllBytes()).pcm();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String name() {
    return "sphinx4";
  }

  @Override
  public int sampleRate() {
    return SphinxDecoder.SAMPLE_RATE;
  }

  /** Number of decoders sessions share. */
  public int decoders() {
    return engine.pool.join().size();
  }

  @Override
  public Recognition open(RecognitionRequest request, RecognitionListener listener) {
    if (closed.get()) {
      throw new IllegalStateException("this sphinx4 recognizer is closed");
    }
    return new SphinxRecognition(engine.pool.join(), engine.reader, listener,
        request.endOfUtteranceSilenceMs() != null ? request.endOfUtteranceSilenceMs() : engine.endSilenceMs);
  }

  /** The bundled model is US English: {@code en} and its regional tags ({@code en-US}, {@code en_GB}). */
  @Override
  public boolean recognizes(String language) {
    if (language == null || language.isBlank()) {
      return true;
    }
    String tag = language.trim().toLowerCase(java.util.Locale.ROOT);
    return tag.equals("en") || tag.startsWith("en-") || tag.startsWith("en_");
  }

  @Override
  public String languages() {
    return "English only: en, en-US, en-GB, ...";
  }

  /** Releases this handle; the engine stops, failing its open sessions, with its last handle. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      engine.release();
    }
  }

  private static final class SharedEngine {

    final String key;
    final CompletableFuture<DecoderPool> pool;
    final ResultReader reader;
    final int endSilenceMs;
    int users;

    SharedEngine(String key, boolean wordConfidence, int endSilenceMs) {
      this.key = key;
      this.endSilenceMs = endSilenceMs;
      this.pool = new CompletableFuture<>();
      this.reader = new ResultReader(wordConfidence);
    }

    void release() {
      synchronized (ENGINES) {
        if (--users > 0) {
          return;
        }
        ENGINES.remove(key, this);
      }
      pool.thenAccept(DecoderPool::close);
    }
  }
}
