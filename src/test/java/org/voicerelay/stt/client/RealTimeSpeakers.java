package org.voicerelay.stt.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Streams of one client that each write 100 ms of 16 kHz audio every 100 ms, as a live call does,
 * with bytes unique to the stream and the moment, and remember what they wrote and heard.
 */
final class RealTimeSpeakers {

  private static final int CHUNK = 3_200;

  /** One stream and what went through it. */
  static final class Speaker {
    final SpeechStream stream;
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    final List<SpeechEvent> events = new CopyOnWriteArrayList<>();
    Future<Void> ended;

    Speaker(SpeechStream stream) {
      this.stream = stream;
      stream.handler(events::add);
    }

    byte[] written() {
      return written.toByteArray();
    }

    long count(SpeechEventType type) {
      return events.stream().filter(e -> e.type() == type).count();
    }
  }

  final SttClient client;
  final List<Speaker> speakers = new ArrayList<>();
  private final Vertx vertx;
  private final long timer;
  private int sequence;

  RealTimeSpeakers(Vertx vertx, SttClient client, int streams) {
    this.vertx = vertx;
    this.client = client;
    for (int i = 0; i < streams; i++) {
      speakers.add(new Speaker(client.stream()));
    }
    timer = vertx.setPeriodic(100, t -> speak());
  }

  private void speak() {
    sequence++;
    for (int s = 0; s < speakers.size(); s++) {
      byte[] chunk = new byte[CHUNK];
      for (int i = 0; i < CHUNK; i++) {
        chunk[i] = (byte) (s * 7 + sequence * 13 + i);
      }
      Speaker speaker = speakers.get(s);
      speaker.written.writeBytes(chunk);
      speaker.stream.write(Buffer.buffer(chunk));
    }
  }

  /** Stops writing and ends every stream; completes when all have ended, failed if one failed. */
  Future<Void> end() {
    vertx.cancelTimer(timer);
    List<Future<Void>> all = new ArrayList<>();
    for (Speaker speaker : speakers) {
      speaker.ended = speaker.stream.end();
      all.add(speaker.ended);
    }
    return Future.join(all).mapEmpty();
  }
}
