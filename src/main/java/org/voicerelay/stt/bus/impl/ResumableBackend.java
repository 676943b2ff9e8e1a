package org.voicerelay.stt.bus.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.BusErrorCode;
import org.voicerelay.stt.bus.ResumableSession;
import org.voicerelay.stt.bus.ResumableSessionOptions;

/**
 * A resumable session's recognition, run from the caller's node (its <em>front</em>): a
 * {@link ResumableSession} feeds ordinary sessions on whichever nodes take them and moves the
 * recognition when one is lost, so the caller's addresses never change and its audio is never
 * refused while recognition moves. Up to {@code holdBytes} not yet accepted by a recognizing
 * session is answered at once; beyond that a paced sender's answer waits, and a plain send is
 * refused with {@code buffer_full}.
 *
 * <p>Its open reply and {@code status} add {@code frontNode} (this node) and
 * {@code "resumable": true}; {@code status} adds {@code heldBytes}, {@code recognitionSessionId},
 * {@code resumes}, {@code lostBytes} and, asked of the recognizing session, its {@code stream}
 * (with the gateway connection's last sign of life); the event {@value ResumableSession#EVENT_RECOGNITION_MOVED}
 * tells listeners that recognition moved.
 */
final class ResumableBackend implements SessionBackend {

  private static final Logger LOG = LoggerFactory.getLogger(ResumableBackend.class);

  private final Vertx vertx;
  private final String frontNode;
  private final long holdBytes;
  private final ResumableSessionOptions recognition;
  /** The open request as live updates changed it: what the capabilities are read from. */
  private final JsonObject open;
  private SessionEndpoint endpoint;
  private ResumableSessionImpl session;
  private long pendingBytes;

  /**
   * @param recognition how the recognizing sessions are opened (their open request included)
   * @param holdBytes audio not yet accepted by a recognizing session that is answered at once
   */
  ResumableBackend(Vertx vertx, String frontNode, long holdBytes, ResumableSessionOptions recognition) {
    this.vertx = vertx;
    this.frontNode = frontNode;
    this.holdBytes = holdBytes;
    this.recognition = recognition;
    this.open = recognition.getOpen().copy();
  }

  @Override
  public Future<Void> start(SessionEndpoint endpoint) {
    this.endpoint = endpoint;
    return ResumableSessionImpl.open(vertx, recognition, endpoint.span).map(opened -> {
      session = opened;
      session.handler(this::onRecognitionEvent);
      LOG.info("resumable session {}: front on {}, recognition {} on {}", endpoint.id(), frontNode,
          session.sessionId(), session.node());
      return null;
    });
  }

  @Override
  public void resumeEvents() {
  }

  @Override
  public String node() {
    return session == null ? null : session.node();
  }

  @Override
  public void describe(JsonObject openReply) {
    openReply.put("frontNode", frontNode).put("resumable", true)
        .put("capabilities", OpenRequest.capabilities(open).toJson());
  }

  @Override
  public void describeStatus(JsonObject status) {
    status.put("heldBytes", pendingBytes)
        .put("recognitionSessionId", session == null ? null : session.sessionId())
        .put("resumes", session == null ? 0 : session.resumes())
        .put("lostBytes", session == null ? 0 : session.lostBytes());
  }

  @Override
  public Future<Void> describeConnection(JsonObject status) {
    if (session == null) {
      return Future.succeededFuture();
    }
    return session.forward(new JsonObject().put("action", BusContract.ACTION_STATUS))
        .map(recognizing -> {
          JsonObject stream = recognizing.getJsonObject("stream");
          if (stream != null) {
            status.put("stream", stream);
          }
          return (Void) null;
        })
        .otherwise((Void) null);
  }

  @Override
  public Write write(Buffer pcm, boolean paced) {
    int length = pcm.length();
    if (!paced && pendingBytes + length > holdBytes) {
      return Write.refused(BusErrorCode.BUFFER_FULL, "more than " + holdBytes
          + " bytes wait for recognition (maxBufferedBytes); send audio as request/reply to be paced");
    }
    pendingBytes += length;
    Future<Void> accepted = session.writeOwned(pcm).andThen(ar -> pendingBytes -= length);
    return new Write(Future.succeededFuture(), accepted);
  }

  @Override
  public boolean holdsReplies() {
    return pendingBytes > holdBytes;
  }

  @Override
  public long bufferedBytes() {
    return pendingBytes;
  }

  @Override
  public long replayBytes() {
    return session == null ? 0 : session.keptBytes();
  }

  @Override
  public Future<Void> flush() {
    return session.flush().recover(err -> Future.failedFuture(BusErrorCode.of(err, BusErrorCode.GATEWAY_FAILURE,
        "flush failed")));
  }

  @Override
  public Future<Void> update(String model, String language, JsonObject extra, List<String> keyterms) {
    JsonObject fields = new JsonObject().put("model", model).put("language", language).put("extra", extra)
        .put("keyterms", keyterms == null ? null : new JsonArray(keyterms));
    return session.update(fields).<Void>mapEmpty().recover(ResumableBackend::asReplyFailure).onSuccess(v -> {
      if (model != null) {
        open.put("model", model);
      }
      if (extra != null) {
        open.put("extra", open.getJsonObject("extra", new JsonObject()).copy().mergeIn(extra));
      }
    });
  }

  @Override
  public Future<Void> addContext(String text) {
    return session.addAgentContext(text).<Void>mapEmpty().recover(ResumableBackend::asReplyFailure);
  }

  private static Future<Void> asReplyFailure(Throwable err) {
    return Future.failedFuture(BusErrorCode.of(err, BusErrorCode.GATEWAY_FAILURE,
        "the recognizing session did not answer"));
  }

  @Override
  public void end() {
    if (session != null) {
      session.end();
    }
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
  }

  private void onRecognitionEvent(JsonObject event) {
    String type = event.getString("type");
    if (BusContract.EVENT_CLOSED.equals(type)) {
      LOG.info("resumable session {}: recognition over after {} resumes", endpoint.id(), session.resumes());
      endpoint.closed(event.getString("reason"), event.getJsonObject("error"));
      return;
    }
    if (ResumableSession.EVENT_RECOGNITION_MOVED.equals(type)) {
      LOG.info("resumable session {}: recognition moved from {} to {} ({})", endpoint.id(),
          event.getString("previousNode"), event.getString("node"), event.getString("reason"));
    }
    endpoint.publish(event);
  }
}
