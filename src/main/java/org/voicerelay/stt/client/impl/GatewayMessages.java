package org.voicerelay.stt.client.impl;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.SttErrorCode;
import org.voicerelay.stt.client.SttException;
import org.voicerelay.stt.protocol.MessageType;
import org.voicerelay.stt.protocol.ProtocolCodec;
import org.voicerelay.stt.protocol.ProtocolException;
import org.voicerelay.stt.protocol.ServerMessage;

/**
 * What the gateway says on a stream's current connection, decoded and handed to what it concerns:
 * transcripts to the {@link TranscriptAssembler}, what they cover and reach to the
 * {@link AudioOutbox}, and every sign that moves the connection's state machine to the
 * {@link Machine}. Confined to the
 * stream's context; the caller only hands it messages of the current connection.
 */
final class GatewayMessages {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayMessages.class);

  /** What the stream's state machine hears from its gateway. */
  interface Machine {
    /** The gateway answered the connection's audio. */
    void served();

    /** A final transcript: the connection proved itself, the run of failures is over. */
    void stable();

    /** A transcript or speech event came (after {@code end()}, it restarts the finishing wait). */
    void transcribed(boolean isFinal);

    /** {@code session.finalized}: the outbox has taken it; whether to close is the machine's call. */
    void finalized();

    /** {@code session.closed}. */
    void sessionClosed();

    /** The gateway reported an error that ends this connection. */
    void fail(SttException failure);

    /** The outbox may have more to send: an answer moved a paced catch-up on. */
    void sendPending();
  }

  private final String streamId;
  private final StreamEvents events;
  private final TranscriptAssembler transcripts;
  private final AudioOutbox outbox;
  private final Deafness deafness;
  private final Supplier<String> language;
  private final Machine machine;

  GatewayMessages(String streamId, StreamParts parts, Supplier<String> language, Machine machine) {
    this.streamId = streamId;
    this.events = parts.events();
    this.transcripts = parts.transcripts();
    this.outbox = parts.outbox();
    this.deafness = parts.deafness();
    this.language = language;
    this.machine = machine;
  }

  void onText(String text) {
    ServerMessage message;
    try {
      message = ProtocolCodec.decodeServerMessage(text);
    } catch (ProtocolException e) {
      LOG.warn("stream {}: skipped a frame that is not the protocol: {}", streamId, e.getMessage());
      events.error(new SttException(SttErrorCode.PROTOCOL_ERROR, e.getMessage(), true, -1, null));
      return;
    }
    switch (message.type()) {
      case MessageType.SESSION_CREATED -> LOG.debug("stream {}: session created", streamId);
      case MessageType.START_OF_SPEECH -> {
        machine.served();
        transcripts.startOfSpeech();
      }
      case MessageType.INTERIM_TRANSCRIPT -> transcript(message, SpeechEventType.INTERIM_TRANSCRIPT);
      case MessageType.PREFLIGHT_TRANSCRIPT -> transcript(message, SpeechEventType.PREFLIGHT_TRANSCRIPT);
      case MessageType.FINAL_TRANSCRIPT -> {
        machine.stable();
        double end = transcript(message, SpeechEventType.FINAL_TRANSCRIPT);
        outbox.finalCovers(Math.round(end * outbox.sessionRate()));
      }
      case MessageType.SESSION_FINALIZED -> {
        machine.served();
        outbox.finalized();
        machine.finalized();
      }
      case MessageType.SESSION_CLOSED -> machine.sessionClosed();
      case MessageType.ERROR -> machine.fail(
          RetryRules.gatewayError(message.code() == null ? -1 : message.code(), message.message()));
      default -> LOG.warn("stream {}: skipped a frame of unknown type '{}'", streamId, message.type());
    }
  }

  /** Delivers a transcript; returns where it ends (seconds on the connection's time line). */
  private double transcript(ServerMessage message, SpeechEventType type) {
    machine.served();
    deafness.heard();
    double end = transcripts.transcript(message, type, language.get());
    machine.transcribed(type == SpeechEventType.FINAL_TRANSCRIPT);
    if (outbox.answered(Math.round(end * outbox.sessionRate()))) {
      machine.sendPending();
    }
    return end;
  }
}
