package org.voicerelay.stt.bus.impl;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.voicerelay.stt.bus.ResumableSession;

/**
 * The audio of a {@link ResumableSession} at absolute byte offsets of everything written: what is
 * still to be sent to the current session, and what was sent since the last final transcript,
 * kept to be sent again to the next session. Sent audio beyond {@code maxReplayBytes} is dropped
 * once accepted (and counted); audio not yet sent is never dropped. Confined to the session's
 * context; the two counters are volatile, for the session's getters.
 */
final class ReplayBuffer {

  /** Audio at an absolute byte offset of everything written, and the writer's promise for it. */
  record Chunk(long offset, Buffer pcm, Promise<Void> accepted) {
    long end() {
      return offset + pcm.length();
    }
  }

  private final long maxReplayBytes;
  private final List<Chunk> retained = new ArrayList<>();
  private long retainedStart;
  private long written;
  private int sendIndex;
  private long finalizedUpTo;
  private volatile long droppedBytes;
  private volatile long lostBytes;

  ReplayBuffer(long maxReplayBytes) {
    this.maxReplayBytes = maxReplayBytes;
  }

  /** Appends audio; {@code accepted} completes once a session accepts it. */
  void add(Buffer pcm, Promise<Void> accepted) {
    retained.add(new Chunk(written, pcm, accepted));
    written += pcm.length();
  }

  /** The next chunk to send to the current session, or null if all are sent. */
  Chunk nextToSend() {
    return sendIndex < retained.size() ? retained.get(sendIndex++) : null;
  }

  boolean allSent() {
    return sendIndex == retained.size();
  }

  /** The current session accepted {@code chunk}: its writer is told, and audio beyond the limit goes. */
  void accepted(Chunk chunk) {
    chunk.accepted().tryComplete();
    while (!retained.isEmpty() && written - retainedStart > maxReplayBytes && sendIndex > 0
        && retained.get(0).accepted().future().succeeded()) {
      Chunk head = retained.remove(0);
      sendIndex--;
      droppedBytes += head.pcm().length();
      retainedStart = head.end();
    }
  }

  /** Audio up to this absolute offset has a final transcript: it need never be sent again. */
  void finalUpTo(long offset) {
    long sentEnd = sendIndex == 0 ? retainedStart : retained.get(sendIndex - 1).end();
    long upTo = Math.min(offset & ~1L, sentEnd);
    while (!retained.isEmpty() && retained.get(0).offset() < upTo) {
      Chunk head = retained.get(0);
      if (head.end() <= upTo) {
        retained.remove(0);
        sendIndex = Math.max(0, sendIndex - 1);
      } else {
        int cut = (int) (upTo - head.offset());
        retained.set(0, new Chunk(upTo, head.pcm().getBuffer(cut, head.pcm().length()), head.accepted()));
      }
    }
    retainedStart = Math.max(retainedStart, upTo);
    finalizedUpTo = Math.max(finalizedUpTo, upTo);
  }

  /**
   * A new session takes over: everything kept is sent to it from the start. {@code resumed}: it
   * replaces a lost one, and audio dropped before it had a final transcript is counted as lost.
   *
   * @return the absolute offset the new session starts at
   */
  long rewind(boolean resumed) {
    sendIndex = 0;
    if (resumed) {
      lostBytes += Math.max(0, retainedStart - finalizedUpTo);
      finalizedUpTo = retainedStart;
    }
    return retainedStart;
  }

  /** Audio kept to send again (and not yet sent), in bytes. */
  long keptBytes() {
    return written - retainedStart;
  }

  /** Sent audio dropped beyond {@code maxReplayBytes}. */
  long droppedBytes() {
    return droppedBytes;
  }

  /** Dropped audio that had no final transcript when a session was lost. */
  long lostBytes() {
    return lostBytes;
  }

  /** The transcription is over: every writer still waiting is told {@code why}. */
  void failAll(Throwable why) {
    for (Chunk chunk : retained) {
      chunk.accepted().tryFail(why);
    }
    retained.clear();
  }
}
