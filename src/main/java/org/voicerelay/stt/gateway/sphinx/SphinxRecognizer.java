package org.voicerelay.stt.gateway.sphinx;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.gateway.Recognizer;

/** CMU Sphinx4 engine. Placeholder until the engine lands: loading fails with a clear message. */
public final class SphinxRecognizer {

  private SphinxRecognizer() {
  }

  /** Loads the model on a worker thread; {@code config} holds the engine's tuning options. */
  public static Future<Recognizer> load(Vertx vertx, JsonObject config) {
    return Future.failedFuture("the sphinx4 engine is not built yet");
  }
}
