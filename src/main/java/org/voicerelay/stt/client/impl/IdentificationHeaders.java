package org.voicerelay.stt.client.impl;

import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Properties;
import org.voicerelay.stt.client.StreamOptions;
import org.voicerelay.stt.client.SttOptions;

/**
 * The headers that tell the gateway who is calling, as LiveKit's clients send them on every
 * connection: {@code User-Agent} with the library version, a new {@code X-LiveKit-Session-ID}
 * per connection ({@code inference_} and 12 random characters, made here and never taken from the
 * caller), and, when known, the room, job, agent, worker token and inference priority.
 *
 * <p>The worker token is a secret: {@link #toString()} shows only whether there is one.
 */
final class IdentificationHeaders {

  static final String SESSION_ID = "X-LiveKit-Session-ID";
  static final String ROOM_ID = "X-LiveKit-Room-ID";
  static final String JOB_ID = "X-LiveKit-Job-ID";
  static final String AGENT_ID = "X-LiveKit-Agent-ID";
  static final String WORKER_TOKEN = "X-LiveKit-Worker-Token";
  static final String PRIORITY = "X-LiveKit-Inference-Priority";
  static final String WORKER_TOKEN_VARIABLE = "LIVEKIT_WORKER_TOKEN";

  static final String VERSION = libraryVersion();
  static final String USER_AGENT = "vertx-livekit-stt/" + VERSION + " (java " + Runtime.version().feature() + ")";

  private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String roomId;
  private final String jobId;
  private final String agentId;
  private final String priority;
  private final String workerToken;

  private IdentificationHeaders(String roomId, String jobId, String agentId, String priority, String workerToken) {
    this.roomId = roomId;
    this.jobId = jobId;
    this.agentId = agentId;
    this.priority = priority;
    this.workerToken = workerToken;
  }

  /** The client's identification: its options, the worker token from them or the environment. */
  static IdentificationHeaders of(SttOptions options, Map<String, String> env) {
    String token = options.getWorkerToken() != null ? options.getWorkerToken() : env.get(WORKER_TOKEN_VARIABLE);
    return new IdentificationHeaders(options.getRoomId(), options.getJobId(), options.getAgentId(),
        options.getPriority(), token == null || token.isBlank() ? null : token);
  }

  /** A stream's identification: its own room, job, agent and priority over the client's. */
  IdentificationHeaders forStream(StreamOptions stream) {
    return new IdentificationHeaders(pick(stream.getRoomId(), roomId), pick(stream.getJobId(), jobId),
        pick(stream.getAgentId(), agentId), pick(stream.getPriority(), priority), workerToken);
  }

  /** A new session id for one connection: {@code inference_} and 12 random base-36 characters. */
  static String newSessionId() {
    char[] id = new char[12];
    for (int i = 0; i < id.length; i++) {
      id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return "inference_" + new String(id);
  }

  /** Puts the headers on one connection attempt; {@code sessionId} is that connection's own. */
  WebSocketConnectOptions addTo(WebSocketConnectOptions connect, String sessionId) {
    connect.putHeader("User-Agent", USER_AGENT).putHeader(SESSION_ID, sessionId);
    put(connect, ROOM_ID, roomId);
    put(connect, JOB_ID, jobId);
    put(connect, AGENT_ID, agentId);
    put(connect, WORKER_TOKEN, workerToken);
    put(connect, PRIORITY, priority);
    return connect;
  }

  private static void put(WebSocketConnectOptions connect, String name, String value) {
    if (value != null) {
      connect.putHeader(name, value);
    }
  }

  private static String pick(String own, String inherited) {
    return own != null && !own.isBlank() ? own : inherited;
  }

  @Override
  public String toString() {
    return "IdentificationHeaders{roomId=" + roomId + ", jobId=" + jobId + ", agentId=" + agentId
        + ", priority=" + priority + ", workerToken=" + (workerToken == null ? "unset" : "set") + "}";
  }

  /** The version Maven wrote into the jar, else the one of the source tree. */
  private static String libraryVersion() {
    try (InputStream in = IdentificationHeaders.class.getResourceAsStream(
        "/META-INF/maven/org.voicerelay/vertx-livekit-stt/pom.properties")) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null && !version.isBlank()) {
          return version;
        }
      }
    } catch (IOException e) {
      // fall through to the source tree's version
    }
    return "0.1.0-SNAPSHOT";
  }
}
