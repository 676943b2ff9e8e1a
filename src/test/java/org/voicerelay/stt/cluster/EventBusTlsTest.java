package org.voicerelay.stt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.voicerelay.stt.security.TestCertificates;

/**
 * The event bus between nodes over TLS ({@code cluster.tls}), with certificates made in the test:
 * two nodes that share the cluster's certificate exchange messages; a node that joins Hazelcast
 * (whose own traffic TLS does not cover) with a certificate the others do not trust cannot get a
 * message to them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class EventBusTlsTest {

  private final List<ClusterNode> nodes = new ArrayList<>();

  @AfterEach
  void stop(VertxTestContext ctx) {
    TestCluster.closeAll(nodes).onComplete(ar -> ctx.completeNow());
  }

  @Test
  void nodesWithTheClustersCertificateTalkAndANodeWithAnotherCertificateCannot(VertxTestContext ctx) throws Exception {
    Path cluster = TestCertificates.selfSigned("cluster");
    Path stranger = TestCertificates.selfSigned("stranger");
    ClusterNode.start(TestCluster.joining(nodes).setTls(TestCertificates.tls(cluster).setTrustStorePath(cluster.toString())
            .setTrustStorePassword(TestCertificates.PASSWORD)))
        .compose(a -> {
          nodes.add(a);
          a.vertx().eventBus().<String>consumer("tls.echo", m -> m.reply("echo " + m.body()));
          return ClusterNode.start(TestCluster.joining(nodes).setTls(TestCertificates.tls(cluster)
              .setTrustStorePath(cluster.toString()).setTrustStorePassword(TestCertificates.PASSWORD)));
        })
        .compose(b -> {
          nodes.add(b);
          return untilAnswered(b, 40);
        })
        .compose(echo -> {
          ctx.verify(() -> assertEquals("echo hi", echo));
          return ClusterNode.start(TestCluster.joining(nodes).setTls(TestCertificates.tls(stranger)
              .setTrustStorePath(stranger.toString()).setTrustStorePassword(TestCertificates.PASSWORD)));
        })
        .compose(c -> {
          nodes.add(c);
          return untilNotNoHandlers(c, 40);
        })
        .onComplete(ctx.succeeding(failure -> ctx.verify(() -> {
          assertTrue(failure instanceof ReplyException, String.valueOf(failure));
          assertEquals(ReplyFailure.TIMEOUT, ((ReplyException) failure).failureType(), failure.toString());
          ctx.completeNow();
        })));
  }

  /** Asks {@code tls.echo} from {@code node} until the consumer is known there and answers. */
  private static Future<String> untilAnswered(ClusterNode node, int attempts) {
    return node.vertx().eventBus().<String>request("tls.echo", "hi", new DeliveryOptions().setSendTimeout(3_000))
        .map(m -> m.body())
        .recover(e -> attempts <= 1 ? Future.failedFuture(e) : later(node, 250).compose(v -> untilAnswered(node, attempts - 1)));
  }

  /** Asks {@code tls.echo} from {@code node} once the consumer is known there; the failure it gets. */
  private static Future<Throwable> untilNotNoHandlers(ClusterNode node, int attempts) {
    return node.vertx().eventBus().<String>request("tls.echo", "hi", new DeliveryOptions().setSendTimeout(3_000))
        .transform(ar -> {
          if (ar.succeeded()) {
            return Future.succeededFuture(new AssertionError("a node with an untrusted certificate got an answer"));
          }
          if (ar.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS && attempts > 1) {
            return later(node, 250).compose(v -> untilNotNoHandlers(node, attempts - 1));
          }
          return Future.succeededFuture(ar.cause());
        });
  }

  private static Future<Void> later(ClusterNode node, long ms) {
    Promise<Void> promise = Promise.promise();
    node.vertx().setTimer(ms, t -> promise.complete());
    return promise.future();
  }
}
