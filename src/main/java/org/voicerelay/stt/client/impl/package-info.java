/** The client's implementation; nothing here is needed by users. */
package org.voicerelay.stt.client.impl;
