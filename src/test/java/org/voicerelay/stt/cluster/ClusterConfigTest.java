package org.voicerelay.stt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.config.NodeConfig;

@ExtendWith(VertxExtension.class)
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
  void theEnvironmentOverridesTheConfiguredClusterSectionThroughTheNodeConfig(Vertx vertx, VertxTestContext ctx) {
    JsonObject deployment = new JsonObject().put("cluster", new JsonObject().put("host", "10.9.9.9")
        .put("port", 5999).put("clusterName", "from-config").put("heartbeatIntervalSeconds", 2));
    Map<String, String> env = Map.of("STT_CLUSTER_HOST", "10.1.2.3", "STT_CLUSTER_PORT", "6000",
        "STT_CLUSTER_MEMBERS", "10.1.2.3, 10.1.2.4:6000", "STT_CLUSTER_CONFIG", "conf/other.xml",
        "STT_EVENTBUS_HOST", "10.1.2.5", "STT_EVENTBUS_PORT", "6100", "STT_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "7");
    NodeConfig.load(vertx, deployment, env)
        .map(config -> new ClusterOptions(config.getJsonObject("cluster")))
        .onComplete(ctx.succeeding(options -> ctx.verify(() -> {
          assertEquals("10.1.2.3", options.getHost());
          assertEquals(6000, options.getPort());
          assertEquals(List.of("10.1.2.3", "10.1.2.4:6000"), options.getMembers());
          assertEquals("conf/other.xml", options.getConfigFile());
          assertEquals("10.1.2.5", options.getEventBusHost());
          assertEquals(6100, options.getEventBusPort());
          assertEquals(7, options.getMaxNoHeartbeatSeconds());
          assertEquals("from-config", options.getClusterName());
          assertEquals(2, options.getHeartbeatIntervalSeconds());
          ctx.completeNow();
        })));
  }

  @Test
  void aClusterPortThatIsNotANumberFailsNamingIt(Vertx vertx, VertxTestContext ctx) {
    NodeConfig.load(vertx, new JsonObject(), Map.of("STT_CLUSTER_PORT", "57o1"))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertTrue(err.getMessage().contains("STT_CLUSTER_PORT"), err.getMessage());
          ctx.completeNow();
        })));
  }

  @Test
  void optionsSurviveAJsonRoundTripAndRejectBadValues() {
    ClusterOptions options = new ClusterOptions().setMembers(List.of("a:1", "b")).setEventBusHost("10.0.0.9");
    assertEquals(options.toJson(), new ClusterOptions(options.toJson()).toJson());
    assertThrows(IllegalArgumentException.class, () -> new ClusterOptions(new JsonObject().put("port", 0)));
    assertThrows(IllegalArgumentException.class, () -> new ClusterOptions().setMembers(List.of()));
  }

  @Test
  void aValueOfTheWrongJsonTypeIsRefusedNamingTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ClusterOptions(new JsonObject().put("port", "5701")));
    assertTrue(e.getMessage().contains("cluster.port"), e.getMessage());
  }
}
