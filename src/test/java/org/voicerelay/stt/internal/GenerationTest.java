package org.voicerelay.stt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationTest {

  @Test
  void aNewRunMakesEveryEarlierTokenStale() {
    Generation runs = new Generation();
    Generation.Token first = runs.next();
    assertTrue(first.current());
    Generation.Token second = runs.next();
    assertFalse(first.current());
    assertTrue(second.current());
  }

  @Test
  void endingMakesTheLastTokenStaleToo() {
    Generation runs = new Generation();
    Generation.Token only = runs.next();
    runs.end();
    assertFalse(only.current());
  }

  @Test
  void aGuardedCallbackRunsOnlyWhileItsRunIsCurrent() {
    Generation runs = new Generation();
    List<String> ran = new ArrayList<>();
    Generation.Token first = runs.next();
    Runnable action = first.guard(() -> ran.add("action"));
    io.vertx.core.Handler<String> handler = first.guard(ran::add);
    action.run();
    handler.handle("handler");
    runs.next();
    action.run();
    handler.handle("late handler");
    assertEquals(List.of("action", "handler"), ran);
  }
}
