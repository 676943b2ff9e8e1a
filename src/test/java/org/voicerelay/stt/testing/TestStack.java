package org.voicerelay.stt.testing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.voicerelay.stt.FreePort;
import org.voicerelay.stt.bus.SttVerticle;
import org.voicerelay.stt.bus.SttVerticleOptions;
import org.voicerelay.stt.bus.TcpBridgeOptions;
import org.voicerelay.stt.bus.WindowedAudioSender;
import org.voicerelay.stt.client.SttOptions;
import org.voicerelay.stt.fault.FaultProxy;
import org.voicerelay.stt.gateway.LocalGatewayVerticle;
import org.voicerelay.stt.web.WebOptions;
import org.voicerelay.stt.web.WebVerticle;

/**
 * A node as the bus, fault, security and web tests meet it, deployed into the test's Vert.x: a
 * gateway (the local one, or a scripted one the test runs), optionally a {@link FaultProxy} in
 * front of it, an {@link SttVerticle} whose client goes there, and the TCP bridge or the web
 * endpoint when asked; plus the few bus calls the tests share. Every port is ephemeral (port 0,
 * or {@link FreePort#bind} for the TCP bridge), and nothing is clustered, so two surefire forks
 * cannot meet. {@link #undeploy()} takes it down again (closing the test's Vert.x does too).
 *
 * <pre>{@code
 * TestStack.builder().gateway("sphinx4").verticle(o -> o.setIdleTimeoutMs(300)).deploy(vertx)
 * }</pre>
 */
public final class TestStack {

  /** Send timeout of {@link #control}: an {@code end} is answered after the last final transcript. */
  public static final long CONTROL_TIMEOUT_MS = 20_000;

  public final Vertx vertx;
  /** The local gateway; null when the test runs its own ({@link Builder#gatewayAt}). */
  public final LocalGatewayVerticle gateway;
  /** The proxy between the verticle's client and the gateway; null unless {@link Builder#faultProxy}. */
  public final FaultProxy proxy;
  public final SttVerticle verticle;
  public final String verticleDeployment;
  /** The web endpoint; null unless {@link Builder#web}. */
  public final WebVerticle web;
  private final int bridgePort;
  private final String gatewayDeployment;
  private final String webDeployment;

  private TestStack(Deploying d) {
    this.vertx = d.vertx;
    this.gateway = d.gateway;
    this.proxy = d.proxy;
    this.verticle = d.verticle;
    this.verticleDeployment = d.verticleDeployment;
    this.web = d.web;
    this.bridgePort = d.bridgePort;
    this.gatewayDeployment = d.gatewayDeployment;
    this.webDeployment = d.webDeployment;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What to deploy; {@link #deploy} does it. */
  public static final class Builder {
    private Supplier<LocalGatewayVerticle> localGateway = () -> Fixtures.localGateway("counting");
    private int scriptedGatewayPort = -1;
    private boolean faultProxy;
    private IntFunction<SttOptions> client = Fixtures::clientOptions;
    private Consumer<SttVerticleOptions> verticle = o -> { };
    private MeterRegistry registry;
    private Consumer<TcpBridgeOptions> bridge;
    private Consumer<WebOptions> webOptions;

    private Builder() {
    }

    /** The local gateway with this recognizer ({@code counting}, the default, or {@code sphinx4}) and the test credentials. */
    public Builder gateway(String recognizer) {
      return gateway(() -> Fixtures.localGateway(recognizer));
    }

    /** A local gateway made here (its own options and credentials: then give the {@link #client} too). */
    public Builder gateway(Supplier<LocalGatewayVerticle> gateway) {
      this.localGateway = gateway;
      this.scriptedGatewayPort = -1;
      return this;
    }

    /** No local gateway: the test's own (scripted) gateway listens on this port. */
    public Builder gatewayAt(int port) {
      this.localGateway = null;
      this.scriptedGatewayPort = port;
      return this;
    }

    /** A {@link FaultProxy} between the verticle's client and the gateway. */
    public Builder faultProxy() {
      this.faultProxy = true;
      return this;
    }

    /** The verticle's client options for the port it connects to (default {@link Fixtures#clientOptions}). */
    public Builder client(IntFunction<SttOptions> forPort) {
      this.client = forPort;
      return this;
    }

    /** Changes the verticle's options; calls add up, in order, after the stack's defaults and the bridge. */
    public Builder verticle(Consumer<SttVerticleOptions> tweak) {
      this.verticle = this.verticle.andThen(tweak);
      return this;
    }

    /** Where the verticle's meters go (default: its own registry, {@code verticle.meterRegistry()}). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /** The verticle's TCP bridge, enabled on a free loopback port, then changed by {@code tweak}. */
    public Builder tcpBridge(Consumer<TcpBridgeOptions> tweak) {
      this.bridge = tweak;
      return this;
    }

    /** A {@link WebVerticle}, enabled on port 0, then changed by {@code tweak}. */
    public Builder web(Consumer<WebOptions> tweak) {
      this.webOptions = tweak;
      return this;
    }

    /** Deploys gateway, proxy, verticle and web in that order into {@code vertx}. */
    public Future<TestStack> deploy(Vertx vertx) {
      Deploying d = new Deploying(vertx);
      Future<Integer> gatewayPort;
      if (localGateway != null) {
        d.gateway = localGateway.get();
        gatewayPort = vertx.deployVerticle(d.gateway).map(id -> {
          d.gatewayDeployment = id;
          return d.gateway.actualPort();
        });
      } else {
        gatewayPort = Future.succeededFuture(scriptedGatewayPort);
      }
      Future<Integer> clientPort = !faultProxy ? gatewayPort : gatewayPort
          .compose(port -> FaultProxy.start(vertx, port))
          .map(proxy -> {
            d.proxy = proxy;
            return proxy.port();
          });
      return clientPort.compose(port -> bridge == null ? deployVerticle(d, port, null)
              : FreePort.bind(bridgePort -> deployVerticle(d, port, bridgePort)))
          .compose(v -> webOptions == null ? Future.succeededFuture() : deployWeb(d))
          .map(v -> new TestStack(d));
    }

    private Future<Void> deployVerticle(Deploying d, int clientPort, Integer bridgePort) {
      SttVerticleOptions options = new SttVerticleOptions()
          .setClient(client.apply(clientPort))
          // the test's Vert.x closes the gateway beside open sessions: undeploy must not wait long for them
          .setShutdownTimeoutMs(500)
          .setClosedSessionLingerMs(2_000)
          // these tests are not about admission: a busy machine's lag or a burst of opens must
          // not refuse their opens (admission control has its own tests)
          .setAdmission(Fixtures.relaxedAdmission());
      if (bridgePort != null) {
        TcpBridgeOptions bridgeOptions = new TcpBridgeOptions().setEnabled(true).setPort(bridgePort);
        bridge.accept(bridgeOptions);
        options.setBridge(bridgeOptions);
      }
      verticle.accept(options);
      SttVerticle sttVerticle = new SttVerticle(options, registry);
      return d.vertx.deployVerticle(sttVerticle).map(id -> {
        d.verticle = sttVerticle;
        d.verticleDeployment = id;
        d.bridgePort = bridgePort == null ? -1 : bridgePort;
        return null;
      });
    }

    private Future<Void> deployWeb(Deploying d) {
      WebOptions options = new WebOptions().setEnabled(true).setPort(0);
      webOptions.accept(options);
      WebVerticle web = new WebVerticle(options);
      return d.vertx.deployVerticle(web).map(id -> {
        d.web = web;
        d.webDeployment = id;
        return null;
      });
    }
  }

  /** What a deployment under way has so far. */
  private static final class Deploying {
    final Vertx vertx;
    LocalGatewayVerticle gateway;
    String gatewayDeployment;
    FaultProxy proxy;
    SttVerticle verticle;
    String verticleDeployment;
    WebVerticle web;
    String webDeployment;
    int bridgePort = -1;

    Deploying(Vertx vertx) {
      this.vertx = vertx;
    }
  }

  /** Undeploys what the stack deployed, last first, and closes the proxy; what is gone already is skipped. */
  public Future<Void> undeploy() {
    return undeployIfThere(webDeployment)
        .compose(v -> undeployIfThere(verticleDeployment))
        .compose(v -> proxy == null ? Future.<Void>succeededFuture() : proxy.close())
        .compose(v -> undeployIfThere(gatewayDeployment));
  }

  private Future<Void> undeployIfThere(String deployment) {
    return deployment != null && vertx.deploymentIDs().contains(deployment) ? vertx.undeploy(deployment)
        : Future.succeededFuture();
  }

  /** The TCP bridge's port. */
  public int bridgePort() {
    if (bridgePort < 0) {
      throw new IllegalStateException("no TCP bridge: build the stack with tcpBridge(...)");
    }
    return bridgePort;
  }

  /** The web endpoint's port. */
  public int webPort() {
    return web.actualPort();
  }

  /** The count of a counter of the verticle's meters (0 if it does not exist yet). */
  public double count(String meter, String... tags) {
    Counter counter = verticle.meterRegistry().find(meter).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  /** The value of a gauge of the verticle's meters (-1 if it does not exist). */
  public double gauge(String meter) {
    Gauge gauge = verticle.meterRegistry().find(meter).gauge();
    return gauge == null ? -1 : gauge.value();
  }

  public Future<JsonObject> open(JsonObject request) {
    return vertx.eventBus().<JsonObject>request("stt.open", request).map(Message::body);
  }

  /** Opens a session that publishes its events to {@code eventsAddress}. */
  public Future<JsonObject> open(String eventsAddress) {
    return open(new JsonObject().put("eventsAddress", eventsAddress));
  }

  public Future<JsonObject> control(JsonObject session, String action) {
    return control(session, new JsonObject().put("action", action));
  }

  public Future<JsonObject> control(JsonObject session, JsonObject request) {
    return vertx.eventBus().<JsonObject>request(session.getString("controlAddress"), request,
        new DeliveryOptions().setSendTimeout(CONTROL_TIMEOUT_MS)).map(Message::body);
  }

  public Future<JsonObject> audio(JsonObject session, Object body) {
    return vertx.eventBus().<JsonObject>request(session.getString("audioAddress"), body).map(Message::body);
  }

  /**
   * Sends {@code pcm} in chunks as request/reply audio through a {@link WindowedAudioSender},
   * keeping at most {@code window} chunks unanswered: the way a sender faster than real time is
   * paced by the gateway. Completes when every chunk is accepted; fails with the first refusal.
   */
  public Future<Void> stream(JsonObject session, byte[] pcm, int chunkBytes, int window) {
    return stream(session, pcm, chunkBytes, window, new DeliveryOptions());
  }

  /** As above, each chunk sent with {@code delivery} (a codec, a send timeout). */
  public Future<Void> stream(JsonObject session, byte[] pcm, int chunkBytes, int window, DeliveryOptions delivery) {
    Promise<Void> sent = Promise.promise();
    vertx.runOnContext(v -> WindowedAudioSender.create(vertx, session).setWriteQueueMaxSize(window)
        .setDeliveryOptions(delivery).writeAll(Buffer.buffer(pcm), chunkBytes).onComplete(sent));
    return sent.future();
  }

  /** The first event of {@code type} published to {@code address} from now on. */
  public Future<JsonObject> nextEvent(String address, String type) {
    Promise<JsonObject> seen = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address);
    consumer.handler(m -> {
      if (type.equals(m.body().getString("type")) && seen.tryComplete(m.body())) {
        consumer.unregister();
      }
    });
    return consumer.completion().compose(v -> seen.future());
  }
}
