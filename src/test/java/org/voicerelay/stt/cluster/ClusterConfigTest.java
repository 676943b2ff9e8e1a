package org.voicerelay.stt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

  @Test
  void theClusterXmlJoinsByTcpIpOnlyWithTheMembersAndInterfaceOfTheOptions() {
    Config config = HazelcastClusterConfig.create(new ClusterOptions().setHost("127.0.0.1").setPort(5801)
        .setMembers(List.of("127.0.0.1:5801", "127.0.0.1:5802")).setClusterName("unit"));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5801", "127.0.0.1:5802"), join.getTcpIpConfig().getMembers());
    assertTrue(config.getNetworkConfig().getInterfaces().getInterfaces().contains("127.0.0.1"));
    assertEquals(5801, config.getNetworkConfig().getPort());
    assertEquals("unit", config.getClusterName());
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
  }

  @Test
  void withoutTheFileTheBuiltInConfigIsTheSame() {
    ClusterOptions options = new ClusterOptions().setConfigFile("does/not/exist.xml").setPort(5901)
        .setMembers(List.of("10.0.0.1", "10.0.0.2:5901"));
    Config config = HazelcastClusterConfig.create(options);
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertEquals(List.of("10.0.0.1", "10.0.0.2:5901"), join.getTcpIpConfig().getMembers());
    assertEquals(5901, config.getNetworkConfig().getPort());
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
  }

  @Test
  void theEnvironmentOverridesHostPortAndMembers() {
    ClusterOptions options = new ClusterOptions().applyEnv(Map.of("STT_CLUSTER_HOST", "10.1.2.3",
        "STT_CLUSTER_PORT", "6000", "STT_CLUSTER_MEMBERS", "10.1.2.3, 10.1.2.4:6000"));
    assertEquals("10.1.2.3", options.getHost());
    assertEquals(6000, options.getPort());
    assertEquals(List.of("10.1.2.3", "10.1.2.4:6000"), options.getMembers());
  }

  @Test
  void optionsSurviveAJsonRoundTripAndRejectBadValues() {
    ClusterOptions options = new ClusterOptions().setMembers(List.of("a:1", "b")).setEventBusHost("10.0.0.9");
    assertEquals(options.toJson(), new ClusterOptions(options.toJson()).toJson());
    assertThrows(IllegalArgumentException.class, () -> new ClusterOptions(new JsonObject().put("port", 0)));
    assertThrows(IllegalArgumentException.class, () -> new ClusterOptions().setMembers(List.of()));
  }
}
