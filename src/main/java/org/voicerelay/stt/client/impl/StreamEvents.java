package org.voicerelay.stt.client.impl;

import io.vertx.core.Handler;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.client.SpeechEvent;
import org.voicerelay.stt.client.SpeechEventType;
import org.voicerelay.stt.client.StreamPhase;
import org.voicerelay.stt.client.StreamStateEvent;
import org.voicerelay.stt.client.SttException;

/**
 * What the caller of one stream hears: its events (a {@code ReadStream} with back-pressure), its
 * state changes, and the failure that ended it, handed to the exception handler once, whichever
 * of the two came first. Confined to the stream's context.
 */
final class StreamEvents {

  private static final Logger LOG = LoggerFactory.getLogger(StreamEvents.class);

  private final String streamId;
  private final EventQueue<SpeechEvent> queue = new EventQueue<>();
  private Handler<StreamStateEvent> stateHandler;
  private Handler<Throwable> exceptionHandler;
  private SttException undeliveredFailure;

  StreamEvents(String streamId) {
    this.streamId = streamId;
  }

  void add(SpeechEvent event) {
    queue.add(event);
  }

  void error(SttException failure) {
    queue.add(new SpeechEvent(SpeechEventType.ERROR, streamId, List.of(), 0, failure.toError()));
  }

  void reconnecting(SttException failure) {
    queue.add(new SpeechEvent(SpeechEventType.RECONNECTING, streamId, List.of(), 0, failure.toError()));
  }

  void stateChanged(StreamPhase phase, SttException cause) {
    Handler<StreamStateEvent> handler = stateHandler;
    if (handler != null) {
      try {
        handler.handle(new StreamStateEvent(phase, cause));
      } catch (RuntimeException e) {
        LOG.warn("stream {}: the state handler failed on {}", streamId, phase, e); // the transition stands
      }
    }
  }

  /** No more events; {@code failure}, when the stream failed, goes to the exception handler. */
  void end(SttException failure) {
    undeliveredFailure = failure;
    deliverFailure();
    queue.end();
  }

  void handler(Handler<SpeechEvent> handler) {
    queue.handler(handler);
  }

  void endHandler(Handler<Void> handler) {
    queue.endHandler(handler);
  }

  void stateHandler(Handler<StreamStateEvent> handler) {
    stateHandler = handler;
  }

  void exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    deliverFailure();
  }

  void pause() {
    queue.pause();
  }

  void resume() {
    queue.resume();
  }

  void fetch(long amount) {
    queue.fetch(amount);
  }

  private void deliverFailure() {
    SttException failure = undeliveredFailure;
    if (failure != null && exceptionHandler != null) {
      undeliveredFailure = null;
      exceptionHandler.handle(failure);
    }
  }
}
