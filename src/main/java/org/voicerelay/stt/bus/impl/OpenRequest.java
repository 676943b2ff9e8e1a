package org.voicerelay.stt.bus.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.voicerelay.stt.audio.AudioFormat;
import org.voicerelay.stt.bus.BusContract;
import org.voicerelay.stt.bus.BusErrorCode;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.client.ModelCapabilities;
import org.voicerelay.stt.client.ModelCatalog;
import org.voicerelay.stt.client.StreamOptions;
import org.voicerelay.stt.protocol.FallbackModel;

/**
 * A checked {@code <prefix>.open} request. Every field is optional; unknown fields are ignored so
 * newer callers can talk to older nodes.
 *
 * @param sessionId the caller's id (idempotent open), else null
 * @param eventsAddress the caller's events address, else null (the session's default)
 * @param sampleRate the rate of the audio the caller will send, else null (the session rate)
 * @param resumable whether the session survives the loss of the node that recognizes it (a front
 *     on the caller's node); absent: the node's {@code resumableByDefault}
 * @param keyterms the session's keyterms, merged into the model's own option, else empty
 * @param identity {@code roomId}, {@code jobId}, {@code agentId}, {@code priority} as given: sent
 *     to the gateway as LiveKit's identification headers
 */
public record OpenRequest(String sessionId, String model, String language, Integer sampleRate,
    JsonObject extra, List<FallbackModel> fallback, String eventsAddress, boolean resumable,
    List<String> keyterms, JsonObject identity) {

  static final int MAX_KEYTERMS = 200;
  static final int MAX_KEYTERM_LENGTH = 100;
  private static final List<String> IDENTITY = List.of("roomId", "jobId", "agentId", "priority");
  private static final int MAX_IDENTITY_LENGTH = 256;

  /** Ids end up inside addresses: no dots, no blanks, nothing a bridge regex would trip over. */
  static final Pattern SESSION_ID = Pattern.compile(BusContract.SESSION_ID_REGEX);
  static final int MAX_ADDRESS_LENGTH = 256;

  /**
   * Checks a request body.
   *
   * @throws io.vertx.core.eventbus.ReplyException {@link BusErrorCode#BAD_REQUEST} or
   *     {@link BusErrorCode#FORBIDDEN_EVENTS_ADDRESS}
   */
  public static OpenRequest parse(Object body, SttVerticleOptions options) {
    RequestFields f = RequestFields.of(body);
    String sessionId = f.string("sessionId");
    if (sessionId != null && !SESSION_ID.matcher(sessionId).matches()) {
      throw RequestFields.bad("sessionId must be 1 to 64 letters, digits, '_' or '-'");
    }
    Integer sampleRate = f.integer("sampleRate");
    if (sampleRate != null && !AudioFormat.isSupportedSampleRate(sampleRate)) {
      throw RequestFields.bad("sampleRate must be within " + AudioFormat.MIN_SAMPLE_RATE + ".."
          + AudioFormat.MAX_SAMPLE_RATE + " Hz, got " + sampleRate);
    }
    List<FallbackModel> fallback = new ArrayList<>();
    JsonArray fb = f.array("fallback");
    if (fb != null) {
      for (Object entry : fb) {
        try {
          fallback.add(FallbackModel.fromJson(entry));
        } catch (IllegalArgumentException e) {
          throw RequestFields.bad("fallback: " + e.getMessage());
        }
      }
    }
    String eventsAddress = f.string("eventsAddress");
    if (eventsAddress != null) {
      checkEventsAddress(eventsAddress, sessionId, options);
    }
    JsonObject extra = f.object("extra");
    Object resumable = f.json().getValue("resumable");
    if (resumable != null && !(resumable instanceof Boolean)) {
      throw RequestFields.bad("resumable must be true or false, got " + RequestFields.typeName(resumable));
    }
    List<String> keyterms = f.strings("keyterms", MAX_KEYTERMS, MAX_KEYTERM_LENGTH);
    JsonObject identity = new JsonObject();
    for (String key : IDENTITY) {
      String value = blankToNull(f.string(key));
      if (value != null && value.length() > MAX_IDENTITY_LENGTH) {
        throw RequestFields.bad(key + " must be at most " + MAX_IDENTITY_LENGTH + " characters");
      }
      if (value != null) {
        identity.put(key, value);
      }
    }
    return new OpenRequest(sessionId, blankToNull(f.string("model")), blankToNull(f.string("language")),
        sampleRate, extra == null ? new JsonObject() : extra.copy(), fallback, eventsAddress,
        resumable == null ? options.isResumableByDefault() : (Boolean) resumable,
        keyterms == null ? List.of() : keyterms, identity);
  }

  /** The stream this request asks for, at {@code inputRate}. */
  StreamOptions streamOptions(int inputRate) {
    return new StreamOptions().setLanguage(language).setModel(model)
        .setExtra(extra.isEmpty() ? null : extra)
        .setFallback(fallback.isEmpty() ? null : fallback)
        .setInputSampleRate(inputRate)
        .setKeyterms(keyterms.isEmpty() ? null : keyterms)
        .setRoomId(identity.getString("roomId")).setJobId(identity.getString("jobId"))
        .setAgentId(identity.getString("agentId")).setPriority(identity.getString("priority"));
  }

  /** What the model of an open request (and its fallbacks) can do, from the model catalog. */
  static ModelCapabilities capabilities(JsonObject open) {
    List<FallbackModel> fallbacks = new ArrayList<>();
    JsonArray fb = open.getJsonArray("fallback");
    if (fb != null) {
      fb.forEach(entry -> fallbacks.add(FallbackModel.fromJson(entry)));
    }
    return ModelCatalog.capabilities(open.getString("model"), open.getJsonObject("extra"), fallbacks);
  }

  /** What a resumable session's front asks of the sessions that recognize for it: all but id, events, resumable. */
  JsonObject recognitionRequest() {
    JsonObject request = new JsonObject().put("resumable", false);
    if (model != null) {
      request.put("model", model);
    }
    if (language != null) {
      request.put("language", language);
    }
    if (!extra.isEmpty()) {
      request.put("extra", extra.copy());
    }
    if (!fallback.isEmpty()) {
      request.put("fallback", new JsonArray(fallback.stream().map(FallbackModel::toJson).toList()));
    }
    if (!keyterms.isEmpty()) {
      request.put("keyterms", new JsonArray(keyterms));
    }
    return request.mergeIn(identity);
  }

  /** An events address must be short, without blanks, under an allowed prefix and not the contract's own. */
  private static void checkEventsAddress(String address, String sessionId, SttVerticleOptions options) {
    if (address.isEmpty() || address.length() > MAX_ADDRESS_LENGTH
        || address.chars().anyMatch(Character::isWhitespace)) {
      throw RequestFields.bad("eventsAddress must be 1 to " + MAX_ADDRESS_LENGTH + " characters without blanks");
    }
    String prefix = options.getPrefix();
    boolean allowed;
    if (address.equals(BusContract.openAddress(prefix)) || address.startsWith(BusContract.sessionAddressPrefix(prefix))) {
      // the contract's own addresses: only this session's default events address
      allowed = sessionId != null && address.equals(BusContract.defaultEventsAddress(prefix, sessionId));
    } else {
      allowed = options.getAllowedEventsPrefixes().stream().anyMatch(address::startsWith);
    }
    if (!allowed) {
      throw BusErrorCode.failure(BusErrorCode.FORBIDDEN_EVENTS_ADDRESS, "eventsAddress '" + address
          + "' is not allowed: it must start with one of " + options.getAllowedEventsPrefixes()
          + " and must not be an address of the contract (leave it out for the session's own address)");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
