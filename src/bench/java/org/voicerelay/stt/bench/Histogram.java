package org.voicerelay.stt.bench;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A latency histogram in microseconds, safe to record from several threads: 10 us buckets up to
 * 2 s, one overflow bucket, and the exact maximum.
 */
final class Histogram {

  private static final int BUCKET_US = 10;
  private static final int BUCKETS = 200_000;

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS + 1);
  private final AtomicLong max = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong negative = new AtomicLong();

  void record(long micros) {
    if (micros < 0) {
      negative.incrementAndGet();
      micros = 0;
    }
    int bucket = (int) Math.min(BUCKETS, micros / BUCKET_US);
    counts.incrementAndGet(bucket);
    total.incrementAndGet();
    max.accumulateAndGet(micros, Math::max);
  }

  void reset() {
    for (int i = 0; i <= BUCKETS; i++) {
      counts.set(i, 0);
    }
    max.set(0);
    total.set(0);
    negative.set(0);
  }

  long count() {
    return total.get();
  }

  /** The upper edge of the bucket holding the {@code q} quantile, in microseconds. */
  long quantile(double q) {
    long n = total.get();
    if (n == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(q * n);
    long seen = 0;
    for (int i = 0; i <= BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return i == BUCKETS ? max.get() : Math.min(max.get(), (long) (i + 1) * BUCKET_US);
      }
    }
    return max.get();
  }

  long max() {
    return max.get();
  }

  JsonObject toJson() {
    return new JsonObject().put("count", count()).put("p50us", quantile(0.50)).put("p99us", quantile(0.99))
        .put("p999us", quantile(0.999)).put("maxUs", max()).put("negative", negative.get());
  }
}
