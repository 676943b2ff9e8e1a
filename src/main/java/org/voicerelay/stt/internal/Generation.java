package org.voicerelay.stt.internal;

/**
 * Which run of something that starts over (a gateway connection, a bus session) is the current
 * one, so that a callback of an earlier run can tell it is stale and do nothing: {@link #next()}
 * starts a run and hands out its {@link Token}; from then on every token handed out before is stale,
 * and {@link #end()} makes the last one stale too. The one idiom for stale callbacks in this
 * library: a callback captures its run's token and asks {@link Token#current()} first. Confined to
 * the owner's context, like the state it guards.
 */
public final class Generation {

  private Token current;

  /** Starts a run: the token its callbacks check; every earlier token is stale from now on. */
  public Token next() {
    current = new Token();
    return current;
  }

  /** No run is current any more: the owner stopped (or paused) and every token is stale. */
  public void end() {
    current = null;
  }

  /** One run; compared by identity, so tokens of two runs can never be mistaken for each other. */
  public final class Token {

    private Token() {
    }

    /** Whether this run is still the owner's current one. */
    public boolean current() {
      return current == this;
    }

    /** {@code action}, run only while this run is current. */
    public Runnable guard(Runnable action) {
      return () -> {
        if (current()) {
          action.run();
        }
      };
    }

    /** {@code handler}, called only while this run is current. */
    public <T> io.vertx.core.Handler<T> guard(io.vertx.core.Handler<T> handler) {
      return value -> {
        if (current()) {
          handler.handle(value);
        }
      };
    }
  }
}
