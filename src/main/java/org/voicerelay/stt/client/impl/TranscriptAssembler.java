package org.voicerelay.stt.client.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.voicerelay.stt.client.SpeechData;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.TimedWord;
import org.voicerelay.stt.protocol.ServerMessage;
import org.voicerelay.stt.protocol.WireWord;
import org.voicerelay.stt.tracing.TraceSpan;
import org.voicerelay.stt.tracing.Tracing;

/**
 * Turns gateway transcript frames into {@link SpeechEvent}s the way LiveKit's clients do: speech
 * start before the first interim or final transcript (an empty final outside speech becomes
 * start, final, end), preflight transcripts only while speaking
 * (they never start speech), usage then final then speech end, empty interims skipped,
 * defaults for absent fields, and times moved onto the stream's clock by the offset of the
 * current connection. Measures each turn's {@link TurnLatency}, and traces each turn as a
 * {@code stt.turn} span from its start of speech to its final, under the stream's span.
 */
final class TranscriptAssembler {

  private final String streamId;
  private final Consumer<SpeechEvent> sink;
  private final TurnLatency turnLatency = TurnLatency.create();
  private boolean speaking;
  private double usageSeconds;
  private double timeOffset;
  /** The {@code X-LiveKit-Session-ID} of the current connection: the request id when the gateway names none. */
  private String connectionSessionId;
  private TraceSpan streamSpan = TraceSpan.NONE;
  private TraceSpan turn = TraceSpan.NONE;
  private boolean traceText;

  TranscriptAssembler(String streamId, Consumer<SpeechEvent> sink) {
    this.streamId = streamId;
    this.sink = sink;
  }

  /** A new connection: its times start {@code offsetSeconds} into the stream, its session id is its own. */
  void newConnection(double offsetSeconds, String sessionId) {
    this.timeOffset = offsetSeconds;
    this.connectionSessionId = sessionId;
  }

  /** Turns are traced under {@code streamSpan}; with {@code text} their final transcript too (PII). */
  void traced(TraceSpan streamSpan, boolean text) {
    this.streamSpan = streamSpan;
    this.traceText = text;
  }

  /** New audio went to the gateway (replays are not new). */
  void addUsage(double seconds) {
    usageSeconds += seconds;
    turnLatency.sent(seconds);
  }

  void startOfSpeech() {
    if (!speaking) {
      speaking = true;
      turn = streamSpan.child(Tracing.TURN);
      sink.accept(SpeechEvent.of(SpeechEventType.START_OF_SPEECH, streamId));
    }
  }

  /**
   * Emits the events of one transcript frame.
   *
   * @return the end time of the transcript on the stream's clock, in seconds
   */
  double transcript(ServerMessage m, SpeechEventType type, String sessionLanguage) {
    String text = m.transcript() == null ? "" : m.transcript();
    boolean isFinal = type == SpeechEventType.FINAL_TRANSCRIPT;
    double start = timeOffset + (m.start() == null ? 0 : m.start());
    double end = start + (m.duration() == null ? 0 : m.duration());
    if (text.isEmpty() && !isFinal) {
      return end;
    }
    if (type == SpeechEventType.PREFLIGHT_TRANSCRIPT && !speaking) {
      return end; // an early hypothesis of speech that has no START_OF_SPEECH yet is not news
    }
    String requestId = m.sessionId() != null ? m.sessionId()
        : m.requestId() != null ? m.requestId()
        : connectionSessionId != null ? connectionSessionId : streamId;
    String language = m.language() != null && !m.language().isEmpty() ? m.language()
        : sessionLanguage != null ? sessionLanguage : "en";
    if (type != SpeechEventType.PREFLIGHT_TRANSCRIPT && (isFinal || !text.isEmpty())) {
      startOfSpeech(); // an empty final outside speech too: start, final, end, as LiveKit's clients do
    }
    List<TimedWord> words = new ArrayList<>();
    if (m.words() != null) {
      for (WireWord w : m.words()) {
        words.add(new TimedWord(w.word() == null ? "" : w.word(),
            timeOffset + (w.start() == null ? 0 : w.start()),
            timeOffset + (w.end() == null ? 0 : w.end()),
            w.confidence() == null ? 0 : w.confidence(), w.speakerId(),
            w.extra() == null || w.extra().isEmpty() ? null
                : new io.vertx.core.json.JsonObject(new java.util.LinkedHashMap<>(w.extra()))));
      }
    }
    io.vertx.core.json.JsonObject metadata = m.extra() == null || m.extra().isEmpty() ? null
        : new io.vertx.core.json.JsonObject(new java.util.LinkedHashMap<>(m.extra()));
    SpeechData data = new SpeechData(text, language, start, end,
        m.confidence() == null ? 1.0 : m.confidence(), m.speakerId(), words, metadata);
    if (isFinal) {
      long delayNanos = text.isEmpty() ? -1 : turnLatency.finalArrived(end);
      if (usageSeconds > 0) {
        sink.accept(new SpeechEvent(SpeechEventType.RECOGNITION_USAGE, requestId, List.of(),
            usageSeconds, null));
        usageSeconds = 0;
      }
      sink.accept(new SpeechEvent(type, requestId, List.of(data), 0, null));
      if (speaking) {
        speaking = false;
        endTurn(data, delayNanos);
        sink.accept(SpeechEvent.of(SpeechEventType.END_OF_SPEECH, requestId));
      }
    } else {
      sink.accept(new SpeechEvent(type, requestId, List.of(data), 0, null));
    }
    return end;
  }

  private void endTurn(SpeechData data, long delayNanos) {
    if (turn.recording()) {
      turn.set("stt.turn.start_seconds", data.startTime()).set("stt.turn.end_seconds", data.endTime())
          .set(Tracing.LANGUAGE, data.language());
      if (delayNanos >= 0) {
        turn.set(Tracing.TRANSCRIPTION_DELAY, delayNanos / 1e9);
      }
      if (traceText) {
        turn.set(Tracing.TRANSCRIPT, data.text());
      }
      turn.end();
      turn = TraceSpan.NONE;
    }
  }
}
