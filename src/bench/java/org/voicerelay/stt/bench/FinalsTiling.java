package org.voicerelay.stt.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Whether a stream's final transcripts cover exactly what it wrote: each final of the counting
 * engine says where its utterance starts (its start time, on the stream's clock after a replay)
 * and how many bytes with which CRC32 it covers; sorted by start they must tile [0, written)
 * without gap or overlap, each CRC32 that of the tone's span. Thread-safe.
 */
final class FinalsTiling {

  private record Final(long startByte, long bytes, long checksum) {
  }

  private final List<Final> finals = new ArrayList<>();

  synchronized void add(double startTime, long bytes, long checksum) {
    if (bytes > 0) {
      finals.add(new Final(Math.round(startTime * ToneAudio.RATE) * 2, bytes, checksum));
    }
  }

  synchronized int count() {
    return finals.size();
  }

  /** Null if the finals tile [0, written) with the tone's CRC32s, else what is wrong. */
  synchronized String check(long written) {
    List<Final> sorted = new ArrayList<>(finals);
    sorted.sort(Comparator.comparingLong(Final::startByte));
    long expected = 0;
    for (Final f : sorted) {
      if (f.startByte != expected) {
        return (f.startByte < expected ? "overlap" : "gap") + " at byte " + expected + " (a final starts at " + f.startByte + ")";
      }
      if (toneCrc(f.startByte, f.bytes) != f.checksum) {
        return "checksum mismatch at byte " + f.startByte;
      }
      expected += f.bytes;
    }
    return expected == written ? null : "finals cover " + expected + " of " + written + " bytes";
  }

  /** CRC32 of the tone's bytes [from, from + bytes): the tone repeats every second. */
  static long toneCrc(long from, long bytes) {
    CRC32 crc = new CRC32();
    byte[] tone = ToneAudio.TONE;
    int at = (int) (from % tone.length);
    long left = bytes;
    while (left > 0) {
      int n = (int) Math.min(left, tone.length - at);
      crc.update(tone, at, n);
      left -= n;
      at = 0;
    }
    return crc.getValue();
  }
}
