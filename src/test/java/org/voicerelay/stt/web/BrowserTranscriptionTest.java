package org.voicerelay.stt.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.audio.WordErrorRate;
import org.voicerelay.stt.testing.TestStack;
import org.voicerelay.stt.testing.SphinxForTheFork;

/**
 * The page in a real browser: Debian's headless Chromium, driven by chromedriver, its fake
 * microphone playing a bundled recording once. The page captures it with its AudioWorklet,
 * streams it through the SockJS bridge to the {@code SttVerticle} and the local gateway's Sphinx4
 * engine, and must show the recording's words. Then a page that goes away must take its session
 * with it. Its screenshot of the page goes to {@code target/browser-page.png}, as tests write only
 * under {@code target/}; {@code scripts/screenshot} refreshes {@code src/site/browser-page.png}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class BrowserTranscriptionTest {

  private static final Path SAMPLES = Path.of("scripts", "samples");
  private static final String FILE = "rms-48k-mono.wav";
  /** The bound of the local engine's own test for this file ({@code SphinxRecognizerTest}). */
  private static final double MAX_WER = 0.15;
  /** The recording lasts 5.2 s; stop once a little more than that has been sent. */
  private static final double STOP_AFTER_AUDIO_SECONDS = 6.5;
  private static final Path SCREENSHOT = Path.of("target", "browser-page.png");

  private static final String FINALS = "return Array.from(document.querySelectorAll('#finals li .text'))"
      + ".map(e => e.textContent);";
  private static final String AUDIO_SECONDS = "return Number(document.getElementById('status').dataset.audioSeconds || 0);";
  private static final String PAGE_STATE = "const s = document.getElementById('status');"
      + " return {state: s.dataset.state, sessionId: s.dataset.sessionId || null,"
      + " contextRate: s.dataset.contextRate || null,"
      + " messages: Array.from(document.querySelectorAll('#messages .message')).map(e => e.textContent)};";

  private ChromeDriver driver;
  private Path profile;

  @AfterEach
  void stopTheBrowser() throws IOException {
    if (driver != null) {
      driver.kill();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void theMicrophonesWordsAppearOnThePageWithinTheEnginesWordErrorBoundAndClosingThePageClosesItsSession(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(ChromeDriver.BINARY),
        "chromium-driver is not installed (apt-get install chromium chromium-driver)");
    long started = System.nanoTime();
    SphinxForTheFork.keep(vertx);
    TestStack stack = TestStack.builder().gateway("sphinx4").web(o -> { }).deploy(vertx)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    String reference = new JsonObject(Files.readString(SAMPLES.resolve("transcripts.json"))).getString(FILE);
    profile = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "chromium-profile");
    driver = ChromeDriver.start(vertx, Path.of("target", "chromedriver.log"));
    List<String> args = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=900,640",
        "--autoplay-policy=no-user-gesture-required",
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        "--use-file-for-fake-audio-capture=" + SAMPLES.resolve(FILE).toAbsolutePath() + "%noloop");
    String page = "http://127.0.0.1:" + stack.webPort() + "/";
    long[] speaking = new long[2];

    driver.ready()
        .compose(v -> driver.newSession(args))
        .compose(v -> driver.navigate(page))
        .compose(v -> driver.waitFor("return !document.getElementById('start').disabled;", Boolean.TRUE::equals,
            100, 100))
        .compose(v -> {
          speaking[0] = System.nanoTime();
          return driver.click("#start");
        })
        .compose(v -> driver.<Number>waitFor(AUDIO_SECONDS, s -> s.doubleValue() >= STOP_AFTER_AUDIO_SECONDS,
            200, 150))
        .compose(v -> driver.click("#stop"))
        .compose(v -> driver.<JsonObject>waitFor(PAGE_STATE, s -> "idle".equals(s.getString("state")), 200, 150))
        .compose(idle -> {
          speaking[1] = System.nanoTime();
          return driver.<JsonArray>script(FINALS).compose(finals -> driver.screenshot().compose(png ->
              vertx.fileSystem().writeFile(SCREENSHOT.toString(), png)).map(v -> {
                String text = finals.stream().map(String::valueOf).collect(Collectors.joining(" "));
                double wer = WordErrorRate.between(reference, text);
                System.out.printf("%s through Chromium (AudioContext %s Hz): WER %.3f, \"%s\"; page %s;"
                        + " start to final transcript %.1f s%n", FILE, idle.getString("contextRate"), wer, text,
                    idle.encode(), (speaking[1] - speaking[0]) / 1e9);
                ctx.verify(() -> assertTrue(wer <= MAX_WER, "WER " + wer + " for \"" + text + "\"; page "
                    + idle.encode()));
                return wer;
              }));
        })
        // closing the page: a second session, then the browser leaves the page
        .compose(wer -> driver.click("#start"))
        .compose(v -> driver.<JsonObject>waitFor(PAGE_STATE, s -> "running".equals(s.getString("state"))
            && s.getString("sessionId") != null, 100, 100))
        .compose(running -> {
          String events = "stt.session." + running.getString("sessionId") + ".events";
          Future<JsonObject> closed = stack.nextEvent(events, "closed");
          return driver.navigate("about:blank").compose(v -> closed);
        })
        .compose(closed -> {
          ctx.verify(() -> assertEquals("closed", closed.getString("reason"), closed.encode()));
          return driver.quit();
        })
        .onComplete(ctx.succeeding(v -> {
          System.out.printf("browser test: %.1f s in all%n", (System.nanoTime() - started) / 1e9);
          ctx.completeNow();
        }));
  }
}
