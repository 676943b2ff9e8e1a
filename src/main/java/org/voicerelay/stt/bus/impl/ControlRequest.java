package org.voicerelay.stt.bus.impl;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.voicerelay.stt.bus.BusContract;

/**
 * A checked message of a session's control address: its action and the fields that action takes.
 * Anything else (no action, an unknown one, an {@code update} that changes nothing, a
 * {@code context} without text, a field of the wrong type) is refused here with 400
 * {@code bad_request} before the session sees it.
 *
 * @param model {@code update}: the new model, or null
 * @param language {@code update}: the new language, or null
 * @param extra {@code update}: provider options to merge, or null
 * @param keyterms {@code update}: the new keyterms, or null
 * @param text {@code context}: the agent's words
 */
record ControlRequest(String action, String model, String language, JsonObject extra, List<String> keyterms,
    String text) {

  private static final String ACTIONS = "flush, end, update, context, close or status";

  /** @throws io.vertx.core.eventbus.ReplyException 400 if the body is not a control message */
  static ControlRequest parse(Object body) {
    RequestFields f = RequestFields.of(body);
    String action = f.string("action");
    if (action == null) {
      throw RequestFields.bad("action is required: " + ACTIONS);
    }
    return switch (action) {
      case BusContract.ACTION_UPDATE -> {
        ControlRequest update = new ControlRequest(action, f.string("model"), f.string("language"), f.object("extra"),
            f.strings("keyterms", OpenRequest.MAX_KEYTERMS, OpenRequest.MAX_KEYTERM_LENGTH), null);
        if (update.model == null && update.language == null && update.extra == null && update.keyterms == null) {
          throw RequestFields.bad("update needs at least one of model, language, extra, keyterms");
        }
        yield update;
      }
      case BusContract.ACTION_CONTEXT -> {
        String text = f.string("text");
        if (text == null || text.isBlank()) {
          throw RequestFields.bad("context needs text: what the agent said");
        }
        yield new ControlRequest(action, null, null, null, null, text);
      }
      case BusContract.ACTION_STATUS, BusContract.ACTION_FLUSH, BusContract.ACTION_END, BusContract.ACTION_CLOSE ->
          new ControlRequest(action, null, null, null, null, null);
      default -> throw RequestFields.bad("unknown action '" + action + "': expected " + ACTIONS);
    };
  }
}
