package org.voicerelay.stt.cluster;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.voicerelay.stt.config.JsonTypes;
import org.voicerelay.stt.security.TlsOptions;

/**
 * How a node joins the Hazelcast cluster: the Hazelcast config template, the address it binds
 * and advertises, the members it looks for (TCP-IP join, never multicast) and how fast a dead
 * member is noticed. The defaults make a loopback cluster, so three terminals on one machine form
 * a cluster with no configuration at all.
 *
 * <p>JSON shape (every key optional):
 * <pre>
 * {"configFile":"conf/cluster.xml", "clusterName":"voicerelay-stt", "host":"127.0.0.1",
 *  "port":5701, "portAutoIncrement":true, "members":["127.0.0.1"], "eventBusHost":null,
 *  "eventBusPort":0, "heartbeatIntervalSeconds":1, "maxNoHeartbeatSeconds":10, "tls":{TlsOptions}}
 * </pre>
 * In a node's configuration this is the {@code cluster} section, which the {@code STT_CLUSTER_*}
 * and {@code STT_EVENTBUS_*} variables fill ({@code config.NodeConfig}).
 */
@DataObject
@JsonGen(publicConverter = false)
public class ClusterOptions {

  /** The Hazelcast XML template; when the file does not exist an equivalent built-in config is used. */
  public static final String DEFAULT_CONFIG_FILE = "conf/cluster.xml";
  /** Nodes with another cluster name never join: keeps two clusters on one network apart. */
  public static final String DEFAULT_CLUSTER_NAME = "voicerelay-stt";
  /** The interface Hazelcast binds to and advertises; loopback keeps a fresh node private. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** The first Hazelcast port tried; with auto-increment the next free one up to 20 above it. */
  public static final int DEFAULT_PORT = 5701;
  public static final boolean DEFAULT_PORT_AUTO_INCREMENT = true;
  /** A member without a port is probed on the first ports of the auto-increment range. */
  public static final List<String> DEFAULT_MEMBERS = List.of("127.0.0.1");
  /** Any free port for the event bus's own TCP connections between nodes. */
  public static final int DEFAULT_EVENT_BUS_PORT = 0;
  public static final int DEFAULT_HEARTBEAT_INTERVAL_SECONDS = 1;
  /**
   * A member silent for this long is removed and its sessions are announced lost. Hazelcast's own
   * default is 60 s: too long for callers waiting for their transcript.
   */
  public static final int DEFAULT_MAX_NO_HEARTBEAT_SECONDS = 10;

  private String configFile = DEFAULT_CONFIG_FILE;
  private String clusterName = DEFAULT_CLUSTER_NAME;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private boolean portAutoIncrement = DEFAULT_PORT_AUTO_INCREMENT;
  private List<String> members = new ArrayList<>(DEFAULT_MEMBERS);
  private String eventBusHost;
  private int eventBusPort = DEFAULT_EVENT_BUS_PORT;
  private int heartbeatIntervalSeconds = DEFAULT_HEARTBEAT_INTERVAL_SECONDS;
  private int maxNoHeartbeatSeconds = DEFAULT_MAX_NO_HEARTBEAT_SECONDS;
  private TlsOptions tls = new TlsOptions();

  public ClusterOptions() {
  }

  public ClusterOptions(ClusterOptions other) {
    this.configFile = other.configFile;
    this.clusterName = other.clusterName;
    this.host = other.host;
    this.port = other.port;
    this.portAutoIncrement = other.portAutoIncrement;
    this.members = new ArrayList<>(other.members);
    this.eventBusHost = other.eventBusHost;
    this.eventBusPort = other.eventBusPort;
    this.heartbeatIntervalSeconds = other.heartbeatIntervalSeconds;
    this.maxNoHeartbeatSeconds = other.maxNoHeartbeatSeconds;
    this.tls = new TlsOptions(other.tls);
  }

  /**
   * Reads the shape shown in the class comment; absent keys keep their defaults.
   *
   * @throws IllegalArgumentException if a value is out of range or of the wrong JSON type
   */
  public ClusterOptions(JsonObject json) {
    ClusterOptionsConverter.fromJson(JsonTypes.checked(json, toJson(), "cluster."), this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    ClusterOptionsConverter.toJson(this, json);
    return json;
  }

  /** {@code "10.0.0.1:5701, 10.0.0.2"} as a list of members. */
  public static List<String> splitMembers(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public String getConfigFile() {
    return configFile;
  }

  /** A Hazelcast XML file whose {@code ${stt.cluster.*}} placeholders these options fill. */
  public ClusterOptions setConfigFile(String configFile) {
    this.configFile = requireText("configFile", configFile);
    return this;
  }

  public String getClusterName() {
    return clusterName;
  }

  public ClusterOptions setClusterName(String clusterName) {
    this.clusterName = requireText("clusterName", clusterName);
    return this;
  }

  public String getHost() {
    return host;
  }

  /** An address of this machine: Hazelcast binds to it only and tells the other members to use it. */
  public ClusterOptions setHost(String host) {
    this.host = requireText("host", host);
    return this;
  }

  public int getPort() {
    return port;
  }

  public ClusterOptions setPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in [1, 65535], got " + port);
    }
    this.port = port;
    return this;
  }

  public boolean isPortAutoIncrement() {
    return portAutoIncrement;
  }

  /** Whether Hazelcast may take the next free port when {@code port} is taken (several nodes on one host). */
  public ClusterOptions setPortAutoIncrement(boolean portAutoIncrement) {
    this.portAutoIncrement = portAutoIncrement;
    return this;
  }

  public List<String> getMembers() {
    return members;
  }

  /** {@code host[:port]} of the members to join through; listing this node itself is fine. */
  public ClusterOptions setMembers(List<String> members) {
    Objects.requireNonNull(members, "members");
    if (members.isEmpty() || members.stream().anyMatch(m -> m == null || m.isBlank() || m.contains(","))) {
      throw new IllegalArgumentException("members must be a non-empty list of host[:port], got " + members);
    }
    this.members = new ArrayList<>(members);
    return this;
  }

  public String getEventBusHost() {
    return eventBusHost;
  }

  /** The address other nodes reach this node's event bus on; unset: {@link #getHost()}. */
  public ClusterOptions setEventBusHost(String eventBusHost) {
    this.eventBusHost = eventBusHost == null || eventBusHost.isBlank() ? null : eventBusHost;
    return this;
  }

  public int getEventBusPort() {
    return eventBusPort;
  }

  public ClusterOptions setEventBusPort(int eventBusPort) {
    if (eventBusPort < 0 || eventBusPort > 65535) {
      throw new IllegalArgumentException("eventBusPort must be in [0, 65535], got " + eventBusPort);
    }
    this.eventBusPort = eventBusPort;
    return this;
  }

  public int getHeartbeatIntervalSeconds() {
    return heartbeatIntervalSeconds;
  }

  public ClusterOptions setHeartbeatIntervalSeconds(int heartbeatIntervalSeconds) {
    if (heartbeatIntervalSeconds < 1) {
      throw new IllegalArgumentException("heartbeatIntervalSeconds must be >= 1, got " + heartbeatIntervalSeconds);
    }
    this.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
    return this;
  }

  public int getMaxNoHeartbeatSeconds() {
    return maxNoHeartbeatSeconds;
  }

  /** How long a silent member stays in the cluster before it is removed (and its sessions announced lost). */
  public ClusterOptions setMaxNoHeartbeatSeconds(int maxNoHeartbeatSeconds) {
    if (maxNoHeartbeatSeconds < 2) {
      throw new IllegalArgumentException("maxNoHeartbeatSeconds must be >= 2, got " + maxNoHeartbeatSeconds);
    }
    this.maxNoHeartbeatSeconds = maxNoHeartbeatSeconds;
    return this;
  }

  public TlsOptions getTls() {
    return tls;
  }

  /**
   * TLS for the event bus between nodes (not for Hazelcast's own membership traffic): every node
   * presents its certificate and accepts only peers whose certificate the trust store or CA trusts.
   */
  public ClusterOptions setTls(TlsOptions tls) {
    this.tls = tls == null ? new TlsOptions() : tls;
    return this;
  }

  @Override
  public String toString() {
    return "ClusterOptions" + toJson().encode();
  }

  private static String requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }
}
