package org.voicerelay.stt.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A catch-up paced by the gateway's answers: the outbox sends up to the window past the furthest
 * point an answer reached, everything once that point is within the window of the newest audio,
 * and everything at once when a finalize waits.
 */
class AudioOutboxPaceTest {

  private static final int RATE = 16_000;
  private static final long SECOND = RATE;
  private static final int CHUNKS_PER_SECOND = 20;

  private final AtomicInteger frames = new AtomicInteger();
  /** A socket that takes every frame and counts the audio frames. */
  private final WebSocket socket = (WebSocket) Proxy.newProxyInstance(getClass().getClassLoader(),
      new Class<?>[] {WebSocket.class}, (proxy, method, args) -> switch (method.getName()) {
        case "writeQueueFull" -> false;
        case "writeFrame" -> {
          frames.incrementAndGet();
          yield Future.succeededFuture();
        }
        case "writeTextMessage" -> Future.succeededFuture();
        default -> throw new UnsupportedOperationException(method.getName());
      });
  private final AudioOutbox outbox = new AudioOutbox(RATE, RATE, 30_000, seconds -> { });

  @AfterEach
  void clear() {
    outbox.clear();
  }

  /** Three seconds of audio waiting, the first second sent: a catch-up after a reconnect. */
  private void heldCatchUp() {
    assertEquals(null, outbox.offer(Buffer.buffer(new byte[3 * RATE * 2]), 1 << 20));
    assertTrue(outbox.sendFirst(1_000), "more than a second waits");
    outbox.sendTo(socket);
    assertEquals(CHUNKS_PER_SECOND, frames.get(), "the first second");
  }

  @Test
  void aPacedCatchUpRunsASecondPastTheFurthestAnswerThenSendsTheRestOnceCaughtUp() {
    heldCatchUp();
    assertFalse(outbox.paceByAnswers(1_000), "no answer yet: nothing more");
    outbox.sendTo(socket);
    assertEquals(CHUNKS_PER_SECOND, frames.get());

    assertTrue(outbox.answered(SECOND / 2), "an answer half a second in");
    outbox.sendTo(socket);
    assertEquals(CHUNKS_PER_SECOND * 3 / 2, frames.get(), "a second past it: 1.5 s in all");
    assertFalse(outbox.answered(SECOND / 4), "an answer behind the furthest moves nothing");

    assertTrue(outbox.answered(2 * SECOND), "within a second of the newest audio");
    assertFalse(outbox.paced(), "caught up: real time again");
    outbox.sendTo(socket);
    assertEquals(CHUNKS_PER_SECOND * 3, frames.get(), "everything");
  }

  @Test
  void aFinalizeEndsThePace() {
    heldCatchUp();
    outbox.paceByAnswers(1_000);
    outbox.requestFinalize();
    assertFalse(outbox.paced());
    outbox.sendTo(socket);
    assertEquals(CHUNKS_PER_SECOND * 3, frames.get(), "everything before the finalize");
  }

  @Test
  void aPaceStartedWithAFinalizeWaitingSendsEverything() {
    heldCatchUp();
    outbox.requestFinalize();
    assertTrue(outbox.paceByAnswers(1_000));
    assertFalse(outbox.paced());
    outbox.sendTo(socket);
    assertEquals(CHUNKS_PER_SECOND * 3, frames.get());
  }

  @Test
  void aPaceThatNoAnswerMovesSaysItStalled() {
    heldCatchUp();
    outbox.paceByAnswers(1_000);
    assertTrue(outbox.paceStalledFor(0));
    outbox.answered(SECOND / 2);
    assertFalse(outbox.paceStalledFor(60_000), "an answer just moved it");
  }
}
