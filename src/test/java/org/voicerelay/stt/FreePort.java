package org.voicerelay.stt;

import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.util.function.IntFunction;

/**
 * A port that was free a moment ago, for a server that cannot listen on port 0 and tell its port
 * (the TCP event-bus bridge). Between the pick and the bind another process may take the port (a
 * server of its own, or the kernel handing it out as the local port of a connection), so
 * {@link #bind} picks again when the bind fails for that reason.
 */
public final class FreePort {

  /** Binds that fail because the port was taken, before giving up. */
  public static final int ATTEMPTS = 5;

  private FreePort() {
  }

  public static int pick() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code binding} with a port just picked; when it fails because someone took the port
   * meanwhile, runs it again with another one. Any other failure is the result.
   */
  public static <T> Future<T> bind(IntFunction<Future<T>> binding) {
    return bind(binding, ATTEMPTS);
  }

  private static <T> Future<T> bind(IntFunction<Future<T>> binding, int attemptsLeft) {
    return binding.apply(pick()).recover(err -> attemptsLeft > 1 && taken(err)
        ? bind(binding, attemptsLeft - 1) : Future.failedFuture(err));
  }

  /** Whether a bind failed because the port is in use (Java's or Netty's native transport's error). */
  public static boolean taken(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException
          || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
        return true;
      }
    }
    return false;
  }
}
