package org.voicerelay.stt.bench;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A fixed single-threaded workload (SHA-256 over 32 MiB, best of three), printed with every bench
 * run. Shared machines drift by a factor of two between hours; a figure is only comparable with
 * another taken at a similar calibration, so every bench prints both, with what the hypervisor
 * took from this virtual machine meanwhile ({@link MachineCpu}).
 */
public final class CpuCalibration {

  private static final int BLOCK = 64 * 1024;
  private static final int BLOCKS = 512;

  private CpuCalibration() {
  }

  /** Milliseconds for the workload on the calling thread, the best of three runs. */
  public static double millis() {
    byte[] block = new byte[BLOCK];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) (i * 31);
    }
    double best = Double.MAX_VALUE;
    for (int run = 0; run < 3; run++) {
      long start = System.nanoTime();
      digest(block);
      best = Math.min(best, (System.nanoTime() - start) / 1e6);
    }
    return best;
  }

  /** One line for a bench report. */
  public static String line() {
    MachineCpu start = MachineCpu.now();
    double millis = millis();
    return String.format(java.util.Locale.ROOT,
        "calibration: %.1f ms (SHA-256 of 32 MiB, best of 3; lower is a faster moment); machine meanwhile: %s",
        millis, MachineCpu.now().since(start));
  }

  private static void digest(byte[] block) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < BLOCKS; i++) {
        sha.update(block);
      }
      if (sha.digest()[0] == 42) {
        block[0]++;
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void main(String[] args) {
    System.out.println(line());
  }
}
