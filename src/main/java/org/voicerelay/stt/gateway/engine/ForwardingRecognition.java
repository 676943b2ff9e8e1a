package org.voicerelay.stt.gateway.engine;

import java.util.Objects;

/**
 * A recognition that passes every call on to another one, so that an engine wrapping an engine
 * (one that adds interims, or records what it was asked) overrides only what it changes.
 */
public abstract class ForwardingRecognition implements Recognition {

  private final Recognition inner;

  protected ForwardingRecognition(Recognition inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  @Override
  public void accept(byte[] pcm) {
    inner.accept(pcm);
  }

  @Override
  public void finalizeUtterance() {
    inner.finalizeUtterance();
  }

  @Override
  public long pendingBytes() {
    return inner.pendingBytes();
  }

  @Override
  public void update(RecognitionRequest request) {
    inner.update(request);
  }

  @Override
  public void close() {
    inner.close();
  }
}
