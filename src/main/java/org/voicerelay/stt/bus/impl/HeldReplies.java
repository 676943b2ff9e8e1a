package org.voicerelay.stt.bus.impl;

import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The requests a session answers later: paced audio senders, held while its backend holds replies
 * (their answer is the back-pressure), and {@code end}/{@code close} requests, answered once the
 * session is closed. On the session's context.
 */
final class HeldReplies {

  private record EndRequest(Message<Object> message, boolean askedToEnd) {
  }

  private final ArrayDeque<Message<Object>> audio = new ArrayDeque<>();
  private final List<EndRequest> ends = new ArrayList<>();
  private final BooleanSupplier holding;
  private final Supplier<JsonObject> audioReply;

  /**
   * @param holding whether answers to paced senders wait now (never once the session is not open)
   * @param audioReply the answer to an audio request
   */
  HeldReplies(BooleanSupplier holding, Supplier<JsonObject> audioReply) {
    this.holding = holding;
    this.audioReply = audioReply;
  }

  /** Answers a paced sender whose audio was taken: now, or once the backend stops holding. */
  void audioTaken(Message<Object> message) {
    if (holding.getAsBoolean()) {
      audio.add(message);
    } else {
      message.reply(audioReply.get());
    }
  }

  /** Whether {@code message} was still held (it is no longer). */
  boolean forget(Message<Object> message) {
    return audio.remove(message);
  }

  /** Answers the held audio senders while the backend does not hold. */
  void release() {
    while (!audio.isEmpty() && !holding.getAsBoolean()) {
      audio.poll().reply(audioReply.get());
    }
  }

  void endRequested(Message<Object> message, boolean askedToEnd) {
    ends.add(new EndRequest(message, askedToEnd));
  }

  /**
   * The session is closed: every {@code end} and {@code close} gets {@code summary}, except an
   * {@code end} of a session that {@code failed} (non-null), which {@code refuse} answers with it.
   */
  void answerEnds(JsonObject summary, ReplyException failed, BiConsumer<Message<Object>, ReplyException> refuse) {
    for (EndRequest request : ends) {
      if (request.askedToEnd() && failed != null) {
        refuse.accept(request.message(), failed);
      } else {
        request.message().reply(summary);
      }
    }
    ends.clear();
  }
}
