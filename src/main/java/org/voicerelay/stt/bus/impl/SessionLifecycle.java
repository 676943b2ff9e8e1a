package org.voicerelay.stt.bus.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.BusErrorCode;
import org.voicerelay.stt.bus.ResumableSessionOptions;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.client.SpeechStream;
import org.voicerelay.stt.client.SttClient;
import org.voicerelay.stt.tracing.TraceSpan;
import org.voicerelay.stt.tracing.Tracing;

/**
 * Where every session of one verticle instance begins and ends, plain or resumable: created with
 * its backend, admitted by the node's {@link AdmissionControl}, opened idempotently (here by the
 * registry, cluster-wide by the id's claim in the {@link SessionDirectory}), and ended at undeploy.
 * A resumable session differs only in its backend; its front holds audio on this node, so it is
 * admitted, counted and reported to admission like any other session.
 *
 * <p>Confined to the instance's context; nothing is locked.
 */
public final class SessionLifecycle implements SessionEndpoint.Owner {

  private static final Logger LOG = LoggerFactory.getLogger(SessionLifecycle.class);
  /**
   * How long an idempotent open waits for another node that is opening the same id: the winner's
   * consumers must be registered cluster-wide first, which took over 5 s on a loaded 2-core node;
   * under the event bus's default send timeout (30 s), so a caller still gets an answer.
   */
  private static final long CLAIM_WAIT_MS = 20_000;
  /** How many nodes a resumable front asks in turn for its recognizing session. */
  private static final int RECOGNITION_OPEN_ATTEMPTS = 20;

  private final Vertx vertx;
  private final SttVerticleOptions options;
  private final SttNode node;
  private final SttClient client;
  private final AdmissionControl admission;
  private final SttMetrics metrics;
  private final SessionRegistry registry = new SessionRegistry();
  private final SessionDirectory directory;
  private final Map<String, Future<JsonObject>> opening = new HashMap<>();
  private boolean stopping;

  public SessionLifecycle(Vertx vertx, SttVerticleOptions options, SttNode node, SttClient client) {
    this.vertx = vertx;
    this.options = options;
    this.node = node;
    this.client = client;
    this.admission = node.admission();
    this.metrics = node.metrics();
    this.directory = new SessionDirectory(vertx, options.getPrefix(), CLAIM_WAIT_MS);
  }

  /** The instance's sessions, for the figures admission reads. */
  public SessionRegistry registry() {
    return registry;
  }

  /**
   * Opens the session {@code request} asks for; its reply. Without an id the session is new; with
   * one, the same id opens the same session, wherever in the cluster it was opened first.
   * {@code openHeaders}: the open message's, where Vert.x's tracing puts the caller's span (may be null).
   */
  public Future<JsonObject> open(OpenRequest request, Iterable<Map.Entry<String, String>> openHeaders) {
    String id = request.sessionId();
    if (id == null) {
      String fresh = SessionIds.random(request.resumable() ? "f" : "s");
      return create(fresh, request, openHeaders).onSuccess(reply -> directory.record(fresh, reply));
    }
    // first: a session still starting is in the registry already, but its reply is not ready
    Future<JsonObject> pending = opening.get(id);
    if (pending != null) {
      return pending;
    }
    SessionEndpoint existing = registry.get(id);
    if (existing != null) {
      return existing.state() == SessionEndpoint.State.CLOSED
          ? Future.failedFuture(BusErrorCode.failure(BusErrorCode.SESSION_CLOSED, "session " + id + " has ended"))
          : Future.succeededFuture(existing.openReply());
    }
    Future<JsonObject> opened = directory.open(id, () -> create(id, request, openHeaders));
    opening.put(id, opened);
    opened.onComplete(ar -> opening.remove(id));
    return opened;
  }

  /** The caller has the open reply of session {@code id}: its events may flow. */
  public void replied(String id) {
    SessionEndpoint session = registry.get(id);
    if (session != null) {
      vertx.runOnContext(v -> session.resumeEvents());
    }
  }

  /** The ids of the sessions (live or lingering). */
  public List<String> ids() {
    return registry.all().stream().map(SessionEndpoint::id).toList();
  }

  /**
   * Refuses new opens, ends every session cleanly (the last final transcript, then
   * {@code closed}), aborts those still busy after {@code shutdownTimeoutMs}, and unregisters all.
   */
  public Future<Void> stop() {
    stopping = true;
    List<Future<Void>> closing = new ArrayList<>();
    for (SessionEndpoint session : registry.live()) {
      session.end(BusContract.REASON_SHUTDOWN);
      closing.add(session.closedFuture());
    }
    Promise<Void> allClosed = Promise.promise();
    Future.join(closing).onComplete(ar -> allClosed.tryComplete());
    if (!closing.isEmpty()) {
      LOG.info("undeploying: ending {} sessions", closing.size());
      long timeoutMs = Math.max(1, options.getShutdownTimeoutMs());
      long timer = vertx.setTimer(timeoutMs, t -> {
        for (SessionEndpoint session : registry.live()) {
          LOG.warn("session {} did not finish within {} ms of undeploy; aborting it", session.id(), timeoutMs);
          session.close(BusContract.REASON_SHUTDOWN);
        }
      });
      allClosed.future().onComplete(ar -> vertx.cancelTimer(timer));
    }
    return allClosed.future().compose(v -> {
      List<Future<?>> releasing = new ArrayList<>();
      releasing.add(directory.releaseAll());
      for (SessionEndpoint session : registry.all()) {
        releasing.add(session.unregister());
        registry.remove(session);
      }
      return Future.join(releasing).mapEmpty();
    });
  }

  private Future<JsonObject> create(String id, OpenRequest request, Iterable<Map.Entry<String, String>> openHeaders) {
    if (stopping) {
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.SHUTTING_DOWN, "the stt verticle is being undeployed"));
    }
    AdmissionControl.Cause refused = admission.tryAdmit();
    if (refused != null) {
      if (refused == AdmissionControl.Cause.MAX_SESSIONS) {
        return Future.failedFuture(BusErrorCode.failure(BusErrorCode.TOO_MANY_SESSIONS, admission.refusal(refused)));
      }
      metrics.openRefused(refused.wireName);
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.OVERLOADED, admission.refusal(refused)));
    }
    int sampleRate = request.sampleRate() != null ? request.sampleRate() : options.getClient().getSampleRate();
    String model = request.model() != null ? request.model() : options.getClient().getModel();
    String language = request.language() != null ? request.language() : options.getClient().getLanguage();
    TraceSpan span = traced(Tracing.session(vertx, openHeaders), id, model, language, sampleRate, request.resumable());
    SessionEndpoint session;
    try {
      SessionBackend backend = span.asParentOf(() -> request.resumable() ? resumableBackend(sampleRate, request)
          : streamBackend(sampleRate, request));
      session = new SessionEndpoint(vertx, options, metrics, this, id, request.eventsAddress(), sampleRate, model,
          language, backend);
      session.span = span;
    } catch (IllegalArgumentException e) {
      span.failed(BusErrorCode.name(BusErrorCode.BAD_REQUEST), e.getMessage());
      span.end();
      admission.release();
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.BAD_REQUEST, e.getMessage()));
    } catch (RuntimeException e) {
      span.failed(BusErrorCode.name(BusErrorCode.INTERNAL_ERROR), e.toString());
      span.end();
      admission.release();
      LOG.warn("cannot open session {}", id, e);
      return Future.failedFuture(BusErrorCode.failure(BusErrorCode.INTERNAL_ERROR, "cannot open session: " + e));
    }
    registry.add(session);
    metrics.sessionOpened();
    LOG.info("session {} opening: model={} language={} sampleRate={} resumable={}", id, model, language, sampleRate,
        request.resumable());
    return session.start().recover(err -> Future.failedFuture(startFailed(session, err)));
  }

  /**
   * A session that could not start: one whose backend never started (no node took a resumable
   * session's recognition) is forgotten here, since nothing will say it closed; one that started
   * is aborted and closes as usual.
   */
  private ReplyException startFailed(SessionEndpoint session, Throwable err) {
    if (session.backendStarted()) {
      session.close(BusContract.REASON_FAILED);
      return BusErrorCode.of(err, BusErrorCode.INTERNAL_ERROR, "cannot register the addresses of session " + session.id());
    }
    registry.remove(session);
    admission.release();
    metrics.sessionClosed(BusContract.REASON_FAILED);
    session.span.failed(BusContract.REASON_FAILED, err.getMessage());
    session.span.end();
    LOG.warn("session {}: its recognition did not start: {}", session.id(), err.getMessage());
    return BusErrorCode.of(err, BusErrorCode.GATEWAY_FAILURE, "no node took the recognition of session " + session.id());
  }

  private TraceSpan traced(TraceSpan span, String id, String model, String language, int sampleRate,
      boolean resumable) {
    return span.recording() ? span.set(Tracing.SESSION_ID, id).set(Tracing.NODE, node.name()).set(Tracing.MODEL, model)
        .set(Tracing.PROVIDER, Tracing.provider(model)).set(Tracing.LANGUAGE, language)
        .set(Tracing.SAMPLE_RATE, sampleRate).set("stt.resumable", resumable) : span;
  }

  private SessionBackend streamBackend(int sampleRate, OpenRequest request) {
    SpeechStream stream = client.stream(request.streamOptions(sampleRate));
    return new StreamBackend(vertx, node.name(), sampleRate, options.getIdleTimeoutMs(), metrics, stream);
  }

  /** A front on this node; its recognizing sessions are opened like any session, wherever a node takes them. */
  private SessionBackend resumableBackend(int sampleRate, OpenRequest request) {
    ResumableSessionOptions recognition = new ResumableSessionOptions()
        .setPrefix(options.getPrefix())
        .setSampleRate(sampleRate)
        .setOpenAttempts(RECOGNITION_OPEN_ATTEMPTS)
        .setMaxReplayBytes(options.getFrontMaxReplayBytes())
        .setOpen(request.recognitionRequest());
    return new ResumableBackend(vertx, node.name(), options.getMaxBufferedBytes(), recognition);
  }

  @Override
  public void closed(SessionEndpoint session) {
    session.span.set(Tracing.REASON, session.reason()).set(Tracing.AUDIO_SECONDS, session.audioSeconds());
    if (BusContract.REASON_FAILED.equals(session.reason())) {
      session.span.failed(BusContract.REASON_FAILED, null);
    }
    session.span.end();
    admission.release();
    directory.closed(session.id(), options.getClosedSessionLingerMs());
    metrics.sessionClosed(session.reason());
  }

  @Override
  public void gone(SessionEndpoint session) {
    registry.remove(session);
  }

  @Override
  public void reserveSeq(SessionEndpoint session, long seq) {
    directory.reserveSeq(session.id(), seq);
  }
}
