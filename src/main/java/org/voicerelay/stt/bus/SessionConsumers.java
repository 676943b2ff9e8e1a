package org.voicerelay.stt.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/** The audio and control consumers a session serves on its addresses, registered and let go together. */
record SessionConsumers(MessageConsumer<Object> audio, MessageConsumer<Object> control) {

  /** Registers on {@code <prefix>.session.<id>.audio} and {@code .control}. */
  static SessionConsumers register(EventBus bus, String prefix, String sessionId, Handler<Message<Object>> onAudio,
      Handler<Message<Object>> onControl) {
    return new SessionConsumers(bus.consumer(BusContract.audioAddress(prefix, sessionId), onAudio),
        bus.consumer(BusContract.controlAddress(prefix, sessionId), onControl));
  }

  /** Completes once both are registered (cluster-wide on a clustered event bus). */
  Future<Void> completion() {
    return Future.all(audio.completion(), control.completion()).mapEmpty();
  }

  Future<Void> unregister() {
    return Future.join(audio.unregister(), control.unregister()).mapEmpty();
  }
}
