package org.voicerelay.stt.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.testing.EventRecorder;
import org.voicerelay.stt.testing.TestStack;

/**
 * 10 000 malformed or hostile messages on the bus while real sessions stream: each gets the
 * failure code of the contract, every real session still gets all its transcripts, and the heap
 * returns to its baseline once the sessions are over.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class BusAbuseTest {

  private static final int HOSTILE = 10_000;
  private static final int WINDOW = 64;
  private static final int REAL_SESSIONS = 4;
  private static final int NO_HANDLERS = -1;

  /** One kind of bad message: where it goes, what it carries, the code it must get. */
  private record Abuse(String name, String address, Object body, int expectedCode) {
  }

  private static Abuse abuse(int i, List<JsonObject> real) {
    JsonObject session = real.get(i % real.size());
    String audio = session.getString("audioAddress");
    String control = session.getString("controlAddress");
    if (i % 100 == 99) {
      return new Abuse("huge audio", audio, Buffer.buffer(new byte[300_000]), 413);
    }
    return switch (i % 14) {
      case 0 -> new Abuse("open, wrong type", "stt.open", new JsonObject().put("sampleRate", "fast"), 400);
      case 1 -> new Abuse("open, malformed JSON", "stt.open", "{\"model\": ", 400);
      case 2 -> new Abuse("open, contract address as events", "stt.open",
          new JsonObject().put("eventsAddress", "stt.open"), 403);
      case 3 -> new Abuse("open, events outside the allowed prefixes", "stt.open",
          new JsonObject().put("eventsAddress", "evil.sink." + i), 403);
      case 4 -> new Abuse("audio, odd length", audio, Buffer.buffer(new byte[3_201]), 422);
      case 5 -> new Abuse("audio, not base64", audio, new JsonObject().put("audio", "***not base64***"), 422);
      case 6 -> new Abuse("audio, wrong type", audio, new JsonObject().put("audio", 12345), 400);
      case 7 -> new Abuse("audio, unknown session", "stt.session.ghost" + i + ".audio",
          Buffer.buffer(new byte[320]), NO_HANDLERS);
      case 8 -> new Abuse("control, unknown action", control, new JsonObject().put("action", "explode"), 400);
      case 9 -> new Abuse("control, wrong type", control, new JsonObject().put("action", 42), 400);
      case 10 -> new Abuse("control, an array", control, new JsonArray().add("end"), 400);
      case 11 -> new Abuse("open, impossible rate", "stt.open", new JsonObject().put("sampleRate", 5), 400);
      case 12 -> new Abuse("control, unknown session", "stt.session.ghost" + i + ".control",
          new JsonObject().put("action", "end"), NO_HANDLERS);
      default -> new Abuse("open, hostile sessionId", "stt.open", new JsonObject().put("sessionId", "../../x" + i), 400);
    };
  }

  @Test
  void tenThousandHostileMessagesGetTheirCodesWhileRealSessionsStillGetEveryTranscript(Vertx vertx,
      VertxTestContext ctx) {
    byte[] pcm = FaultFixtures.audio(20);
    Map<String, int[]> outcomes = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    long[] baseline = new long[1];
    TestStack[] stackRef = new TestStack[1];
    List<EventRecorder> events = new ArrayList<>();
    List<JsonObject> sessions = new ArrayList<>();
    FaultFixtures.stack(2.0).verticle(o -> o.setClosedSessionLingerMs(200)).deploy(vertx)
        .compose(stack -> {
          stackRef[0] = stack;
          return heapAfterGc(vertx);
        })
        .compose(heap -> {
          baseline[0] = heap;
          List<Future<?>> opened = new ArrayList<>();
          for (int s = 0; s < REAL_SESSIONS; s++) {
            String address = "app.abuse.real" + s;
            opened.add(EventRecorder.on(vertx, address).compose(e -> {
              events.add(e);
              return stackRef[0].open(address).onSuccess(sessions::add);
            }));
          }
          return Future.all(opened);
        })
        .compose(v -> {
          TestStack stack = stackRef[0];
          List<Future<?>> streams = new ArrayList<>();
          for (JsonObject session : sessions) {
            streams.add(FaultFixtures.live(stack.vertx, session, pcm, 3_200, 10, n -> { }));
          }
          streams.add(hostile(vertx, sessions, outcomes, wrong));
          return Future.all(streams);
        })
        // the sessions end once the flood is over, so every hostile message meets a live session
        .compose(v -> Future.all(sessions.stream().map(s -> stackRef[0].control(s, "end")).toList()))
        .compose(v -> Future.all(events.stream().map(EventRecorder::closed).toList()))
        .compose(v -> {
          Promise<Void> linger = Promise.promise();
          vertx.setTimer(600, t -> linger.complete());
          return linger.future();
        })
        .compose(v -> heapAfterGc(vertx))
        .onComplete(ctx.succeeding(heapAfter -> ctx.verify(() -> {
          assertEquals(List.of(), wrong.subList(0, Math.min(10, wrong.size())), "messages with the wrong outcome");
          int total = outcomes.values().stream().mapToInt(c -> c[0]).sum();
          assertEquals(HOSTILE, total, outcomes.keySet().toString());
          for (EventRecorder e : events) {
            assertEquals("ended", e.closed().result().getString("reason"));
            assertEquals(List.of(), e.ofType("error"), "no bad message reached a real session's events");
            FaultFixtures.assertEveryByteTranscribedOnce(e.ofType("final_transcript"), pcm);
          }
          assertEquals(0.0, FaultFixtures.sessionsOpen(stackRef[0]));
          long grown = heapAfter - baseline[0];
          System.out.printf("bus abuse: %s; heap baseline %.1f MiB, after %.1f MiB%n", summary(outcomes),
              baseline[0] / 1048576.0, heapAfter / 1048576.0);
          assertTrue(grown < 8L * 1024 * 1024, "heap grew by " + grown / 1024 + " KiB");
          ctx.completeNow();
        })));
  }

  /** Sends the hostile messages with at most {@link #WINDOW} unanswered; checks each answer. */
  private static Future<Void> hostile(Vertx vertx, List<JsonObject> real, Map<String, int[]> outcomes,
      List<String> wrong) {
    Promise<Void> done = Promise.promise();
    int[] next = {0};
    int[] inFlight = {0};
    DeliveryOptions timeout = new DeliveryOptions().setSendTimeout(10_000);
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (inFlight[0] < WINDOW && next[0] < HOSTILE) {
        Abuse a = abuse(next[0]++, real);
        inFlight[0]++;
        vertx.eventBus().request(a.address(), a.body(), timeout).onComplete(ar -> {
          inFlight[0]--;
          int code = ar.succeeded() ? 0 : ar.cause() instanceof ReplyException e
              ? (e.failureType() == ReplyFailure.NO_HANDLERS ? NO_HANDLERS : e.failureCode()) : -99;
          outcomes.computeIfAbsent(a.name() + " -> " + code, k -> new int[1])[0]++;
          if (code != a.expectedCode()) {
            wrong.add(a.name() + ": expected " + a.expectedCode() + ", got " + code
                + (ar.failed() ? " (" + ar.cause().getMessage() + ")" : ""));
          }
          pump[0].run();
        });
      }
      if (next[0] >= HOSTILE && inFlight[0] == 0) {
        done.tryComplete();
      }
    };
    vertx.runOnContext(v -> pump[0].run());
    return done.future();
  }

  private static String summary(Map<String, int[]> outcomes) {
    StringBuilder b = new StringBuilder();
    outcomes.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(" x").append(v[0]));
    return b.toString();
  }

  static Future<Long> heapAfterGc(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(50);
      }
      return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    });
  }
}
