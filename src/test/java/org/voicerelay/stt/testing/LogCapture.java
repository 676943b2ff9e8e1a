package org.voicerelay.stt.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Everything a test run logs, for tests that a secret appears nowhere: standard output and error
 * (SLF4J simple writes there) copied as they pass, and java.util.logging records. A JUnit
 * extension: register it on a field with {@code @RegisterExtension} and it captures around each test.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final List<String> julLines = new ArrayList<>();
  private PrintStream originalErr;
  private PrintStream originalOut;
  private Handler julCapture;

  @Override
  public void beforeEach(ExtensionContext context) {
    originalErr = System.err;
    originalOut = System.out;
    System.setErr(new PrintStream(tee(originalErr), true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(tee(originalOut), true, StandardCharsets.UTF_8));
    julCapture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        synchronized (julLines) {
          julLines.add(record.getMessage() + " " + record.getThrown());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger.getLogger("").addHandler(julCapture);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setErr(originalErr);
    System.setOut(originalOut);
    Logger.getLogger("").removeHandler(julCapture);
  }

  /** What was written and logged so far, as one text. */
  public String text() {
    StringBuilder all = new StringBuilder();
    synchronized (captured) {
      all.append(captured.toString(StandardCharsets.UTF_8));
    }
    synchronized (julLines) {
      julLines.forEach(line -> all.append('\n').append(line));
    }
    return all.toString();
  }

  private OutputStream tee(PrintStream original) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (captured) {
          captured.write(b);
        }
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (captured) {
          captured.write(b, off, len);
        }
        original.write(b, off, len);
      }
    };
  }
}
