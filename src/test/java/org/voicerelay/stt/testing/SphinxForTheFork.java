package org.voicerelay.stt.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.gateway.sphinx.SphinxRecognizer;

/**
 * Keeps one handle on the Sphinx4 engine with the default options for the rest of this test JVM.
 * The engine is shared by every load with the same options and stops with its last handle, so
 * without this each test class that uses it loads the model again (5-15 s of both cores); with
 * it a surefire fork loads it once. No test depends on a fresh engine: sessions keep no state in
 * it (the engine's own test checks that sessions sharing the decoders hear what one alone hears).
 */
public final class SphinxForTheFork {

  private static boolean kept;

  private SphinxForTheFork() {
  }

  /**
   * Starts the load (or shares the loaded engine) and never releases the handle. Returns at once:
   * the caller's own load then shares the engine. The handle is not bound to {@code vertx}: the
   * engine runs on threads of its own and outlives the test's Vert.x.
   */
  public static synchronized void keep(Vertx vertx) {
    if (!kept) {
      kept = true;
      SphinxRecognizer.load(vertx, new JsonObject());
    }
  }
}
