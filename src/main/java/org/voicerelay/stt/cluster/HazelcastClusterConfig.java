package org.voicerelay.stt.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.voicerelay.stt.internal.SharedMapNames;

/**
 * The Hazelcast {@link Config} of a node: {@code conf/cluster.xml} (or the file the options name)
 * with its {@code ${stt.cluster.*}} placeholders filled from {@link ClusterOptions}; when that file
 * does not exist, the same thing built in code, so a library user needs no file. Either way the
 * join is TCP-IP only. Reads a file: call it before Vert.x starts, or off the event loop.
 */
public final class HazelcastClusterConfig {

  /** The map template of the session directories (one per address prefix, {@code bus.impl.SessionDirectory}). */
  static final String SESSIONS_MAP_PREFIX = SharedMapNames.SESSION_DIRECTORY;

  private HazelcastClusterConfig() {
  }

  public static Config create(ClusterOptions options) {
    Path file = Path.of(options.getConfigFile());
    Config config = Files.isRegularFile(file) ? fromFile(file, options) : builtIn(options);
    JoinConfig join = config.getNetworkConfig().getJoin();
    if (join.getMulticastConfig().isEnabled()) {
      throw new IllegalArgumentException(file + " enables multicast join; this project joins by TCP-IP only");
    }
    return config;
  }

  /** The values the placeholders of {@code conf/cluster.xml} take. */
  public static Properties placeholders(ClusterOptions options) {
    Properties p = new Properties();
    p.setProperty("stt.cluster.name", options.getClusterName());
    p.setProperty("stt.cluster.host", options.getHost());
    p.setProperty("stt.cluster.port", String.valueOf(options.getPort()));
    p.setProperty("stt.cluster.portAutoIncrement", String.valueOf(options.isPortAutoIncrement()));
    p.setProperty("stt.cluster.members", String.join(",", options.getMembers()));
    p.setProperty("stt.cluster.heartbeatIntervalSeconds", String.valueOf(options.getHeartbeatIntervalSeconds()));
    p.setProperty("stt.cluster.maxNoHeartbeatSeconds", String.valueOf(options.getMaxNoHeartbeatSeconds()));
    return p;
  }

  private static Config fromFile(Path file, ClusterOptions options) {
    try (InputStream in = Files.newInputStream(file)) {
      return new XmlConfigBuilder(in).setProperties(placeholders(options)).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Hazelcast config " + file, e);
    }
  }

  private static Config builtIn(ClusterOptions options) {
    Config config = new Config().setClusterName(options.getClusterName());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(options.getHeartbeatIntervalSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(options.getMaxNoHeartbeatSeconds()));
    config.setProperty("hazelcast.connection.monitor.max.faults", "2");
    NetworkConfig network = config.getNetworkConfig()
        .setPort(options.getPort())
        .setPortAutoIncrement(options.isPortAutoIncrement())
        .setPortCount(20);
    network.getInterfaces().setEnabled(true).addInterface(options.getHost());
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(options.getMembers());
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig(SESSIONS_MAP_PREFIX + "*").setBackupCount(1));
    return config;
  }
}
