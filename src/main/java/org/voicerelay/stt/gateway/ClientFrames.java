package org.voicerelay.stt.gateway;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;

/**
 * Whole client messages from a gateway socket's WebSocket frames, as bytes.
 *
 * <p>Vert.x's {@code textMessageHandler} turns every text message into a {@code String}: a UTF-16
 * decode and two arrays per audio frame, which the gateway then turned back into bytes to decode
 * the base64. Here a text message of one frame (every message the project's client writes) is
 * handed on as that frame's own bytes, so audio is decoded from them directly; a message sent in
 * fragments is assembled first, up to {@code maxMessageSize}. A message past that size, in one
 * frame or several, is dropped and {@code tooLarge} told (Vert.x's aggregator dropped fragments
 * silently, and its decoder closes on a large frame without saying why). Binary messages are only
 * reported (the protocol has none). Ping, pong and close frames are Vert.x's.
 */
final class ClientFrames implements Handler<WebSocketFrame> {

  private enum Message { NONE, TEXT, BINARY }

  private final int maxMessageSize;
  private final Handler<Buffer> text;
  private final Runnable binary;
  private final Handler<Integer> tooLarge;

  private Message inProgress = Message.NONE;
  /** The text fragments so far; null until a text message comes in more than one frame. */
  private Buffer fragments;

  /**
   * @param text     a whole text message, as its UTF-8 bytes
   * @param binary   a whole binary message arrived
   * @param tooLarge a message grew past {@code maxMessageSize}; given the bytes seen so far
   */
  ClientFrames(int maxMessageSize, Handler<Buffer> text, Runnable binary, Handler<Integer> tooLarge) {
    this.maxMessageSize = maxMessageSize;
    this.text = text;
    this.binary = binary;
    this.tooLarge = tooLarge;
  }

  @Override
  public void handle(WebSocketFrame frame) {
    if (frame.isText() || frame.isBinary()) {
      inProgress = frame.isText() ? Message.TEXT : Message.BINARY;
      fragments = null;
    } else if (!frame.isContinuation() || inProgress == Message.NONE) {
      return; // ping, pong or close, or the rest of a message already refused as too large
    }
    Buffer data = frame.binaryData();
    int size = (fragments == null ? 0 : fragments.length()) + data.length();
    if (size > maxMessageSize) {
      end();
      tooLarge.handle(size);
      return;
    }
    if (inProgress == Message.TEXT) {
      if (fragments == null && frame.isFinal()) {
        end();
        text.handle(data);
        return;
      }
      fragments = (fragments == null ? Buffer.buffer(Math.max(256, data.length() * 2)) : fragments).appendBuffer(data);
    }
    if (frame.isFinal()) {
      Message done = inProgress;
      Buffer message = fragments;
      end();
      if (done == Message.TEXT) {
        text.handle(message);
      } else {
        binary.run();
      }
    }
  }

  private void end() {
    inProgress = Message.NONE;
    fragments = null;
  }
}
