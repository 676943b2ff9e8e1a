package org.voicerelay.stt.internal;

/**
 * The names of the cluster-wide maps that more than one package reads: the session directory is
 * written by {@code bus.impl}, read by {@code security} (is a claimed session over?) and given backups
 * by {@code cluster}, so its name lives here rather than in any of them. Each name is followed by the address prefix.
 */
public final class SharedMapNames {

  /** The session directory, one map per address prefix. */
  public static final String SESSION_DIRECTORY = "__stt.sessions.";

  private SharedMapNames() {
  }
}
