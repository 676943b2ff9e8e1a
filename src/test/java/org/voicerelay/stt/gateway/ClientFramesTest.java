package org.voicerelay.stt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole messages out of frames: one frame as it is, fragments joined, the size limit, binary reported. */
class ClientFramesTest {

  private final List<String> texts = new ArrayList<>();
  private final List<Buffer> textBuffers = new ArrayList<>();
  private final List<Integer> tooLarge = new ArrayList<>();
  private int binaries;
  private final ClientFrames frames = new ClientFrames(10, b -> {
    textBuffers.add(b);
    texts.add(b.toString());
  }, () -> binaries++, tooLarge::add);

  @Test
  void aWholeTextFrameIsHandedOnAsItsOwnBytes() {
    WebSocketFrame frame = WebSocketFrame.textFrame("hello", true);
    frames.handle(frame);
    assertEquals(List.of("hello"), texts);
    // the same array: no copy on the way
    assertSame(((BufferInternal) frame.binaryData()).getByteBuf().array(),
        ((BufferInternal) textBuffers.get(0)).getByteBuf().array());
  }

  @Test
  void fragmentsAreJoinedIntoOneMessage() {
    frames.handle(WebSocketFrame.textFrame("he", false));
    frames.handle(WebSocketFrame.continuationFrame(Buffer.buffer("ll"), false));
    frames.handle(WebSocketFrame.continuationFrame(Buffer.buffer("o"), true));
    frames.handle(WebSocketFrame.textFrame("next", true));
    assertEquals(List.of("hello", "next"), texts);
  }

  @Test
  void fragmentsPastTheLimitAreDroppedAndReportedOnce() {
    frames.handle(WebSocketFrame.textFrame("123456", false));
    frames.handle(WebSocketFrame.continuationFrame(Buffer.buffer("7890x"), false));
    frames.handle(WebSocketFrame.continuationFrame(Buffer.buffer("more"), true));
    frames.handle(WebSocketFrame.textFrame("ok", true));
    assertEquals(List.of(11), tooLarge);
    assertEquals(List.of("ok"), texts);
  }

  @Test
  void oneFramePastTheLimitIsReportedNotHandedOn() {
    frames.handle(WebSocketFrame.textFrame("12345678901", true));
    frames.handle(WebSocketFrame.textFrame("ok", true));
    assertEquals(List.of(11), tooLarge);
    assertEquals(List.of("ok"), texts);
  }

  @Test
  void aBinaryMessageIsReportedOnceWhateverItsFragments() {
    frames.handle(WebSocketFrame.binaryFrame(Buffer.buffer("ab"), false));
    frames.handle(WebSocketFrame.continuationFrame(Buffer.buffer("cd"), false));
    frames.handle(WebSocketFrame.continuationFrame(Buffer.buffer("ef"), true));
    frames.handle(WebSocketFrame.binaryFrame(Buffer.buffer("gh"), true));
    assertEquals(2, binaries);
    assertEquals(List.of(), texts);
  }

  @Test
  void pingAndPongFramesAreNotMessages() {
    frames.handle(WebSocketFrame.pingFrame(Buffer.buffer("p")));
    frames.handle(WebSocketFrame.pongFrame(Buffer.buffer("p")));
    assertEquals(List.of(), texts);
    assertEquals(0, binaries);
  }
}
