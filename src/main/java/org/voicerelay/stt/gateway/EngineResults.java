package org.voicerelay.stt.gateway;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.voicerelay.stt.gateway.engine.Hypothesis;
import org.voicerelay.stt.gateway.engine.RecognitionListener;
import org.voicerelay.stt.protocol.MessageType;
import org.voicerelay.stt.protocol.ServerMessage;
import org.voicerelay.stt.protocol.WireWord;

/**
 * A recognition's results as protocol frames of its session. Engines call from their own threads;
 * every result hops onto the session's event loop first and is dropped once the session is no
 * longer live.
 */
final class EngineResults implements RecognitionListener {

  /** What the results need of their session; called on its event loop. */
  interface Session {
    /** Open, or closing with a finalize still to answer. */
    boolean live();

    String id();

    String language();

    boolean interimResults();

    void send(ServerMessage message);

    /** The engine finalized an utterance; {@code session.finalized} has been sent. */
    void finalizeAnswered();

    void engineFailed(Throwable failure);
  }

  private final Context context;
  private final Session session;

  EngineResults(Context context, Session session) {
    this.context = context;
    this.session = session;
  }

  @Override
  public void onSpeechStart(double atSeconds) {
    whileLive(() -> session.send(ServerMessage.of(MessageType.START_OF_SPEECH)));
  }

  @Override
  public void onInterim(Hypothesis hypothesis) {
    whileLive(() -> {
      if (session.interimResults()) {
        session.send(transcript(MessageType.INTERIM_TRANSCRIPT, hypothesis));
      }
    });
  }

  @Override
  public void onFinal(Hypothesis hypothesis) {
    whileLive(() -> session.send(transcript(MessageType.FINAL_TRANSCRIPT, hypothesis)));
  }

  @Override
  public void onFinalized() {
    whileLive(() -> {
      session.send(ServerMessage.of(MessageType.SESSION_FINALIZED));
      session.finalizeAnswered();
    });
  }

  @Override
  public void onError(Throwable failure) {
    whileLive(() -> session.engineFailed(failure));
  }

  private void whileLive(Runnable action) {
    context.runOnContext(v -> {
      if (session.live()) {
        action.run();
      }
    });
  }

  private ServerMessage transcript(String type, Hypothesis hypothesis) {
    List<WireWord> words = new ArrayList<>();
    if (hypothesis.words() != null) {
      for (Hypothesis.Word word : hypothesis.words()) {
        words.add(new WireWord(word.word(), word.start(), word.end(), word.confidence(), null));
      }
    }
    String id = session.id();
    return new ServerMessage(type, id, id, hypothesis.text() == null ? "" : hypothesis.text(),
        session.language(), hypothesis.start(), Math.max(0, hypothesis.end() - hypothesis.start()),
        hypothesis.confidence(), words, null, hypothesis.extra() == null ? Map.of() : hypothesis.extra(),
        null, null);
  }
}
