package org.voicerelay.stt.web;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's chromedriver, driven through the W3C WebDriver protocol with the Vert.x Web Client: a
 * process on a loopback port it picks itself ({@code --port=0}, so no one can take the port between
 * a pick and its bind) and names in its log, one browser session at a time, and the few commands
 * the page's test needs. Blocking only in {@link #start} (starting the process), which runs on the test's
 * thread, never on an event loop.
 */
final class ChromeDriver {

  static final Path BINARY = Path.of("/usr/bin/chromedriver");
  static final String CHROMIUM = "/usr/bin/chromium";
  /** The W3C name of an element reference in JSON. */
  private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

  /** The line of chromedriver's log that names its port. */
  private static final Pattern STARTED = Pattern.compile("started successfully on port (\\d+)");

  private final Vertx vertx;
  private final Process process;
  private final Path log;
  /** Set by {@link #ready()}, once chromedriver named its port. */
  private WebClient client;
  private String session;

  private ChromeDriver(Vertx vertx, Process process, Path log) {
    this.vertx = vertx;
    this.process = process;
    this.log = log;
  }

  /** Starts chromedriver on a port of its choosing; its output goes to {@code log}. */
  static ChromeDriver start(Vertx vertx, Path log) throws IOException {
    Process process = new ProcessBuilder(BINARY.toString(), "--port=0")
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    return new ChromeDriver(vertx, process, log);
  }

  /** Completes once chromedriver named its port and answers {@code /status} with ready. */
  Future<Void> ready() {
    return poll(this::announcedPort, port -> port > 0, 100, 100).compose(port -> {
      client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
      return poll(() -> client.get("/status").send().map(r -> r.statusCode() == 200
              && r.bodyAsJsonObject().getJsonObject("value").getBoolean("ready", false))
          .otherwise(false), ok -> ok, 100, 100).mapEmpty();
    });
  }

  /** The port chromedriver's log names, or 0 while it names none. */
  private Future<Integer> announcedPort() {
    return vertx.fileSystem().readFile(log.toString()).map(text -> {
      Matcher started = STARTED.matcher(text.toString());
      return started.find() ? Integer.parseInt(started.group(1)) : 0;
    }).otherwise(0);
  }

  /** Opens a browser with these command-line arguments. */
  Future<Void> newSession(List<String> args) {
    JsonObject chromeOptions = new JsonObject().put("binary", CHROMIUM).put("args", new JsonArray(args));
    JsonObject body = new JsonObject().put("capabilities", new JsonObject().put("alwaysMatch",
        new JsonObject().put("browserName", "chrome").put("goog:chromeOptions", chromeOptions)));
    return command(client.post("/session"), body).map(value -> {
      session = ((JsonObject) value).getString("sessionId");
      return null;
    });
  }

  Future<Void> navigate(String url) {
    return command(client.post(path("/url")), new JsonObject().put("url", url)).mapEmpty();
  }

  Future<Void> click(String css) {
    return command(client.post(path("/element")), new JsonObject().put("using", "css selector").put("value", css))
        .compose(element -> command(client.post(path("/element/" + ((JsonObject) element).getString(ELEMENT) + "/click")),
            new JsonObject()))
        .mapEmpty();
  }

  /** Runs {@code script} (a function body) in the page and gives back what it returns. */
  <T> Future<T> script(String script) {
    return command(client.post(path("/execute/sync")), new JsonObject().put("script", script)
        .put("args", new JsonArray())).map(value -> {
          @SuppressWarnings("unchecked")
          T result = (T) value;
          return result;
        });
  }

  /** Runs {@code script} every {@code intervalMs} until its result satisfies {@code until}. */
  <T> Future<T> waitFor(String script, Predicate<T> until, long intervalMs, int attempts) {
    return poll(() -> this.<T>script(script), until, intervalMs, attempts);
  }

  /** A PNG of the browser's viewport. */
  Future<Buffer> screenshot() {
    return command(client.get(path("/screenshot")), null)
        .map(value -> Buffer.buffer(java.util.Base64.getDecoder().decode((String) value)));
  }

  /** Closes the browser, then stops chromedriver. */
  Future<Void> quit() {
    Future<Void> closing = session == null ? Future.succeededFuture()
        : command(client.delete(path("")), null).<Void>mapEmpty().recover(err -> Future.succeededFuture());
    return closing.eventually(() -> {
      if (client != null) {
        client.close();
      }
      process.destroy();
      return Future.succeededFuture();
    });
  }

  /** Kills chromedriver (and with it the browser) whatever state it is in. */
  void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private String path(String command) {
    return "/session/" + session + command;
  }

  /** Sends a command; completes with its {@code value}, or fails with the driver's error. */
  private Future<Object> command(HttpRequest<Buffer> request, JsonObject body) {
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.compose(response -> {
      JsonObject json = response.bodyAsJsonObject();
      Object value = json == null ? null : json.getValue("value");
      if (response.statusCode() != 200) {
        return Future.failedFuture("webdriver " + response.statusCode() + ": "
            + (value == null ? response.bodyAsString() : value.toString()));
      }
      return Future.succeededFuture(value);
    });
  }

  private <T> Future<T> poll(java.util.function.Supplier<Future<T>> probe, Predicate<T> until, long intervalMs,
      int attempts) {
    Promise<T> done = Promise.promise();
    pollOnce(probe, until, intervalMs, attempts, done);
    return done.future();
  }

  private <T> void pollOnce(java.util.function.Supplier<Future<T>> probe, Predicate<T> until, long intervalMs,
      int attemptsLeft, Promise<T> done) {
    probe.get().onComplete(ar -> {
      if (ar.succeeded() && until.test(ar.result())) {
        done.complete(ar.result());
      } else if (attemptsLeft <= 1) {
        done.fail("gave up waiting; last: " + (ar.succeeded() ? ar.result() : ar.cause()));
      } else {
        vertx.setTimer(intervalMs, t -> pollOnce(probe, until, intervalMs, attemptsLeft - 1, done));
      }
    });
  }
}
