package org.voicerelay.stt.bus;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import org.voicerelay.stt.config.JsonTypes;

/**
 * The node's TCP event-bus bridge ({@code bridge}; {@link ContractBridge}): the contract for
 * programs outside the JVM. It has no authentication: keep it on loopback or a private network.
 *
 * <p>JSON: {@code {"enabled":false, "host":"127.0.0.1", "port":7000}}.
 */
@DataObject
@JsonGen(publicConverter = false)
public class TcpBridgeOptions {

  public static final boolean DEFAULT_ENABLED = false;
  /** Loopback: the bridge has no authentication. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 7000;

  private boolean enabled = DEFAULT_ENABLED;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;

  public TcpBridgeOptions() {
  }

  public TcpBridgeOptions(TcpBridgeOptions other) {
    this.enabled = other.enabled;
    this.host = other.host;
    this.port = other.port;
  }

  /** @throws IllegalArgumentException if a value is out of range or of the wrong JSON type */
  public TcpBridgeOptions(JsonObject json) {
    TcpBridgeOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "bridge."), this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    TcpBridgeOptionsConverter.toJson(this, json);
    return json;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public TcpBridgeOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getHost() {
    return host;
  }

  public TcpBridgeOptions setHost(String host) {
    this.host = requireText("bridge.host", host);
    return this;
  }

  public int getPort() {
    return port;
  }

  public TcpBridgeOptions setPort(int port) {
    this.port = requirePort("bridge.port", port);
    return this;
  }

  static String requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }

  static int requirePort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be in [0, 65535], got " + port);
    }
    return port;
  }
}
