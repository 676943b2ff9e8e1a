package org.voicerelay.stt.protocol;

/** A frame that does not follow the protocol. The message never contains audio or credentials. */
public class ProtocolException extends RuntimeException {

  public ProtocolException(String message) {
    super(message, null, false, false);
  }
}
