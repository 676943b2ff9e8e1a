package org.voicerelay.stt.bench;

/** The streams of one fault run: this client's, the bus's sessions, or the Node peer's. */
interface FaultSubjects extends AutoCloseable {

  /** Opens every stream (or session). */
  void open() throws Exception;

  /** Returns once every stream is connected to the gateway. */
  void awaitConnected(ConnectionLog log) throws Exception;

  /** Starts the real-time audio of every stream at once; returns that instant (nanoTime). */
  long startAudio() throws Exception;

  /**
   * The warm-up: returns (nanoTime) when every stream has heard a transcript, at least at
   * {@code notBefore}, at most {@code maxNanos} after the audio's start; the measured window starts
   * then and the audio lasts {@code windowNanos} more.
   */
  long awaitWarm(long notBefore, long maxNanos, long windowNanos) throws Exception;

  /** The fault happens now (nanoTime). */
  void fault(long now);

  /** Returns once the audio has ended ({@code end}: when it is due to, nanoTime). */
  void awaitAudioEnd(long end) throws Exception;

  /** Ends every stream that is still alive and waits for its last final. */
  void endAll() throws Exception;

  Deafness[] deafness();

  /** This process's worst stall in the measured window (ms; -1 if not known): how late its writer ran. */
  default long worstStallMs() {
    return -1;
  }

  /** Streams whose finals cover every byte written ({@link FinalsTiling}), -1 if not known. */
  int everyByte();

  /** How {@link #everyByte()} is checked, for the report. */
  default String everyByteMethod() {
    return "streams whose finals tile every byte written, once and in order (CRC32 per final)";
  }

  @Override
  void close();
}
