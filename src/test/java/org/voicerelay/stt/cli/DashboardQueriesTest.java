package org.voicerelay.stt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.FreePort;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.cluster.ClusterNode;
import org.voicerelay.stt.cluster.ClusterOptions;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.testing.Fixtures;

/**
 * Every metric the Grafana dashboard ({@code conf/grafana/stt-dashboard.json}) queries is one a node
 * exports: a node made as {@code scripts/node} makes it (a {@link ClusterNode} with the Vert.x
 * options of {@link NodeMain#vertxOptions}, Prometheus on) serves one real session through the
 * counting gateway, and its {@code /metrics} text is compared with the names in every PromQL
 * expression of the dashboard.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class DashboardQueriesTest {

  static final Path DASHBOARD = Path.of("conf", "grafana", "stt-dashboard.json");

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern NAME = Pattern.compile("(?<![a-zA-Z0-9_:])[a-zA-Z_:][a-zA-Z0-9_:]*(?![a-zA-Z0-9_:])(?!\\s*\\()");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");
  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

  private Vertx node;

  @AfterEach
  void closeNode() throws Exception {
    if (node != null) {
      node.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyMetricTheDashboardQueriesIsExportedByARunningNode(VertxTestContext ctx) throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    Set<String> queried = new TreeSet<>();
    for (String expr : expressions(dashboard)) {
      Set<String> names = metricNames(expr);
      ctx.verify(() -> assertFalse(names.isEmpty(), "no metric in " + expr));
      queried.addAll(names);
    }
    queried.add(nodeVariableMetric(dashboard));
    int hazelcastPort = FreePort.pick();
    LocalGatewayVerticle gateway = Fixtures.countingGateway();
    SttVerticle[] verticle = new SttVerticle[1];
    ClusterNode.start(new ClusterOptions().setClusterName("stt-dashboard-" + hazelcastPort).setHost("127.0.0.1")
            .setPort(hazelcastPort).setMembers(List.of("127.0.0.1:" + hazelcastPort)),
            NodeMain.vertxOptions(new JsonObject()
                .put("metrics", new JsonObject().put("prometheus", new JsonObject().put("enabled", true)))))
        .compose(started -> {
          node = started.vertx();
          return node.deployVerticle(gateway);
        })
        .compose(id -> {
          verticle[0] = new SttVerticle(new SttVerticleOptions().setAdmission(Fixtures.relaxedAdmission())
              .setMetrics(Fixtures.prometheusOnLoopback()).setClient(Fixtures.clientOptions(gateway.actualPort())));
          return node.deployVerticle(verticle[0]);
        })
        .compose(id -> oneSession())
        .compose(v -> scrape(verticle[0].prometheusPort()))
        .onComplete(ctx.succeeding(text -> ctx.verify(() -> {
          Set<String> exported = exportedNames(text);
          List<String> missing = queried.stream().filter(name -> !exported.contains(name)).toList();
          assertEquals(List.of(), missing, "queried by the dashboard, not exported; exported: " + exported);
          assertTrue(queried.size() >= 15, "the dashboard reads the node's meters: " + queried);
          ctx.completeNow();
        })));
  }

  @Test
  void theDashboardIsGrafanaTensSchemaWithAPrometheusDatasourceAndANodeVariable() throws IOException {
    JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
    assertTrue(dashboard.getInteger("schemaVersion") >= 36, "Grafana 9.4 and later read it: " + dashboard.getInteger("schemaVersion"));
    JsonArray variables = dashboard.getJsonObject("templating").getJsonArray("list");
    JsonObject datasource = variables.getJsonObject(0);
    assertEquals("datasource", datasource.getString("type"));
    assertEquals("prometheus", datasource.getString("query"));
    assertEquals("stt_sessions_open", nodeVariableMetric(dashboard));
    for (Object each : panels(dashboard)) {
      JsonObject panel = (JsonObject) each;
      if (!"row".equals(panel.getString("type"))) {
        assertEquals("${datasource}", panel.getJsonObject("datasource").getString("uid"), panel.getString("title"));
        for (Object target : panel.getJsonArray("targets")) {
          assertTrue(((JsonObject) target).getString("expr").contains("instance=~\"$node\""),
              panel.getString("title") + ": every query follows the node variable");
        }
      }
    }
  }

  @Test
  void theNamesOfAnExpressionAreItsMetricsNotItsFunctionsLabelsOrRanges() {
    assertEquals(Set.of("stt_a_bucket"), metricNames(
        "histogram_quantile(0.99, sum by (le, instance) (rate(stt_a_bucket{instance=~\"$node\"}[$__rate_interval])))"));
    assertEquals(Set.of("stt_x_bytes", "stt_y_bytes"), metricNames("max by (instance) (stt_x_bytes / stt_y_bytes)"));
  }

  /** Opens a session, sends two seconds of tone, flushes, ends: finals, both latencies, every meter made. */
  private Future<Void> oneSession() {
    return node.eventBus().<JsonObject>request("stt.open", new JsonObject()).map(Message::body)
        .compose(session -> node.eventBus().request(session.getString("audioAddress"), Fixtures.tone(64000))
            .compose(r -> control(session, "flush"))
            .compose(r -> control(session, "end")))
        .mapEmpty();
  }

  private Future<Object> control(JsonObject session, String action) {
    return node.eventBus().request(session.getString("controlAddress"), new JsonObject().put("action", action))
        .map(Message::body);
  }

  private Future<String> scrape(int port) {
    return node.createHttpClient().request(HttpMethod.GET, port, "127.0.0.1", "/metrics")
        .compose(request -> request.send())
        .compose(response -> response.body())
        .map(Buffer::toString);
  }

  static List<Object> panels(JsonObject dashboard) {
    List<Object> all = new ArrayList<>();
    for (Object each : dashboard.getJsonArray("panels")) {
      all.add(each);
      JsonArray nested = ((JsonObject) each).getJsonArray("panels");
      if (nested != null) {
        nested.forEach(all::add); // a collapsed row holds its panels
      }
    }
    return all;
  }

  static List<String> expressions(JsonObject dashboard) {
    List<String> exprs = new ArrayList<>();
    for (Object each : panels(dashboard)) {
      JsonArray targets = ((JsonObject) each).getJsonArray("targets");
      for (int i = 0; targets != null && i < targets.size(); i++) {
        exprs.add(targets.getJsonObject(i).getString("expr"));
      }
    }
    return exprs;
  }

  static String nodeVariableMetric(JsonObject dashboard) {
    for (Object each : dashboard.getJsonObject("templating").getJsonArray("list")) {
      JsonObject variable = (JsonObject) each;
      if ("node".equals(variable.getString("name"))) {
        Matcher m = LABEL_VALUES.matcher(variable.getString("definition"));
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    throw new AssertionError("no node variable of the form label_values(metric, label)");
  }

  /** The metric names of a PromQL expression: what is left once strings, matchers, ranges, groupings and calls are out. */
  static Set<String> metricNames(String expr) {
    String bare = STRING.matcher(expr).replaceAll("");
    bare = MATCHERS.matcher(bare).replaceAll("");
    bare = RANGE.matcher(bare).replaceAll("");
    bare = GROUPING.matcher(bare).replaceAll("");
    Set<String> names = new TreeSet<>();
    Matcher m = NAME.matcher(bare);
    while (m.find()) {
      if (!KEYWORDS.contains(m.group())) {
        names.add(m.group());
      }
    }
    return names;
  }

  /** The sample names of a Prometheus text exposition. */
  static Set<String> exportedNames(String text) {
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int end = line.indexOf('{');
        names.add(line.substring(0, end >= 0 ? end : line.indexOf(' ')));
      }
    }
    return names;
  }
}
