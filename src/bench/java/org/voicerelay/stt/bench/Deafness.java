package org.voicerelay.stt.bench;

/**
 * One stream's deafness: the longest time it went without a transcript event (interim or final)
 * while audio flowed, i.e. the longest part of [first write, last write] that no two consecutive
 * transcript events (or the start and the first event, or the last event and the end) bracket
 * more tightly. An event after the audio ended closes the gap at the end. Also when the stream
 * first heard a transcript after the fault, and whether it died. Thread-safe.
 */
final class Deafness {

  private long audioStart;
  private long audioEnd = Long.MAX_VALUE;
  private long lastEvent;
  private long longest;
  private long longestFrom;
  private long faultAt;
  private long heardAfterFault = -1;
  private String died;
  private boolean warm;
  private boolean heardAny;

  /** Figures measured elsewhere (the Node peer's), in milliseconds; {@code heardAfterFaultMs} -1: none. */
  static Deafness of(double longestMs, double longestFromMs, double heardAfterFaultMs, String died, boolean warm) {
    Deafness d = new Deafness();
    d.warm = warm;
    d.longest = (long) (longestMs * 1e6);
    d.longestFrom = (long) (longestFromMs * 1e6);
    d.heardAfterFault = heardAfterFaultMs < 0 ? -1 : (long) (heardAfterFaultMs * 1e6);
    d.died = died;
    return d;
  }

  /** The measured window starts (nanoTime): audio flows; events before it are not counted. */
  synchronized void start(long now) {
    audioStart = now;
    lastEvent = now;
  }

  synchronized void fault(long now) {
    faultAt = now;
  }

  /** The last audio was written (nanoTime). */
  synchronized void end(long now) {
    audioEnd = now;
  }

  /** A transcript event arrived (nanoTime). */
  synchronized void transcript(long now) {
    heardAny = true;
    if (audioStart == 0 || now < audioStart) {
      return;
    }
    gap(Math.max(lastEvent, audioStart), Math.min(now, audioEnd));
    lastEvent = Math.max(lastEvent, now);
    if (faultAt == 0 || now <= faultAt) {
      warm = true;
    }
    if (faultAt != 0 && heardAfterFault < 0 && now > faultAt) {
      heardAfterFault = now - faultAt;
    }
  }

  synchronized void died(String why) {
    if (died == null) {
      died = why;
    }
  }

  private void gap(long from, long to) {
    if (to - from > longest) {
      longest = to - from;
      longestFrom = from;
    }
  }

  /** The longest silence in nanoseconds, the gap up to the end of the audio included. */
  synchronized long longestNanos() {
    if (audioStart != 0 && audioEnd != Long.MAX_VALUE && lastEvent < audioEnd) {
      gap(Math.max(lastEvent, audioStart), audioEnd);
    }
    return longest;
  }

  /** When the longest silence began, nanoseconds after the measured window started. */
  synchronized long longestFromNanos() {
    longestNanos();
    return longestFrom - audioStart;
  }

  /** Fault -> first transcript after it (ns), or -1 if none came. */
  synchronized long heardAfterFaultNanos() {
    return heardAfterFault;
  }

  /**
   * Whether the stream heard a transcript in the measured window before the fault (or at all, with
   * no fault): a stream that did not was not yet streaming when the fault came (a starved machine),
   * and its figure says little about the fault.
   */
  synchronized boolean warm() {
    return warm;
  }

  /** Whether any transcript came, in the window or before it (the warm-up). */
  synchronized boolean heardAny() {
    return heardAny;
  }

  synchronized String diedOf() {
    return died;
  }
}
