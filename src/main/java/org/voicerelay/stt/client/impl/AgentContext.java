package org.voicerelay.stt.client.impl;

import org.voicerelay.stt.client.ModelCatalog;

/**
 * The agent's replies as the U3 Pro models take them ({@code agent_context}): the texts added so
 * far, one per line, of which the last {@link ModelCatalog#AGENT_CONTEXT_MAX_CHARS} characters are
 * kept. Confined to the stream's context.
 */
final class AgentContext {

  static final String OPTION = "agent_context";

  private final StringBuilder text = new StringBuilder();

  /** Adds one reply and returns the context to send. */
  String add(String reply) {
    if (text.length() > 0) {
      text.append('\n');
    }
    text.append(reply.strip());
    int excess = text.length() - ModelCatalog.AGENT_CONTEXT_MAX_CHARS;
    if (excess > 0) {
      text.delete(0, excess);
    }
    return text.toString();
  }
}
