package org.voicerelay.stt.fault;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy between the client and a gateway that injects the faults of a real network and a
 * misbehaving gateway:
 * <ul>
 *   <li>{@link #dropAll()}: every connection is cut at the TCP level (no WebSocket close frame);</li>
 *   <li>{@link #goDown()} / {@link #comeBack()}: the listening socket is closed (connection refused)
 *       and reopened on the same port;</li>
 *   <li>{@link #rejectWith(int)}: new upgrades get this HTTP status (e.g. 401) instead of the
 *       gateway;</li>
 *   <li>{@link #stall(boolean)}: the proxy stops reading from the client, so TCP back-pressure
 *       reaches the client's WebSocket as from a slow gateway;</li>
 *   <li>{@link #silenceAll()}: the open connections go silent both ways and are never closed, as
 *       behind a hung gateway or a NAT that dropped the flow; new connections pass;</li>
 *   <li>{@link #injectToClients(String)} / {@link #injectBinaryToClients(Buffer)}: a WebSocket frame
 *       is written to every client between two of the gateway's frames.</li>
 * </ul>
 * It also records the {@code Authorization} header of every upgrade, i.e. every token issued.
 * Everything runs on the context that started it. Public for the soak benchmark.
 */
public final class FaultProxy {

  private final Vertx vertx;
  private final int upstreamPort;
  private final NetClient client;
  private final List<Link> links = new ArrayList<>();
  /** Authorization header values seen, in order. */
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  private NetServer server;
  private int port;
  private int rejectStatus = -1;
  private boolean stalled;
  private long silenceAfterMs = -1;
  private int upgrades;
  private int accepted;

  private FaultProxy(Vertx vertx, int upstreamPort) {
    this.vertx = vertx;
    this.upstreamPort = upstreamPort;
    this.client = vertx.createNetClient();
  }

  public static Future<FaultProxy> start(Vertx vertx, int upstreamPort) {
    FaultProxy proxy = new FaultProxy(vertx, upstreamPort);
    return proxy.listen(0).map(proxy);
  }

  public int port() {
    return port;
  }

  /** Upgrade requests seen (accepted or rejected). */
  public int upgrades() {
    return upgrades;
  }

  /** Connections passed through to the gateway. */
  public int accepted() {
    return accepted;
  }

  public int openLinks() {
    return links.size();
  }

  private Future<Void> listen(int onPort) {
    server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(onPort)
        .setReuseAddress(true));
    server.connectHandler(this::onClient);
    return server.listen().map(s -> {
      port = s.actualPort();
      return null;
    });
  }

  /** Connection refused from now on; open connections are cut. */
  public Future<Void> goDown() {
    dropAll();
    NetServer s = server;
    server = null;
    return s == null ? Future.succeededFuture() : s.close();
  }

  /** Accepts connections again, on the same port. */
  public Future<Void> comeBack() {
    return server != null ? Future.succeededFuture() : listen(port);
  }

  /** New upgrades are answered with this HTTP status; -1 passes them through again. */
  void rejectWith(int status) {
    rejectStatus = status;
  }

  void stall(boolean on) {
    stalled = on;
    for (Link link : new ArrayList<>(links)) {
      if (on) {
        link.downstream.pause();
      } else {
        link.downstream.resume();
      }
    }
  }

  /**
   * The open connections stop passing anything in either direction (pings and pongs included),
   * and stay open; connections made afterwards are served normally.
   */
  public void silenceAll() {
    for (Link link : new ArrayList<>(links)) {
      link.silence();
    }
  }

  /** From now on every new connection goes silent {@code ms} after it was made (-1: never). */
  public void silenceNewConnectionsAfter(long ms) {
    silenceAfterMs = ms;
  }

  /** Cuts every connection at the TCP level. */
  public void dropAll() {
    for (Link link : new ArrayList<>(links)) {
      link.close();
    }
  }

  void injectToClients(String text) {
    Buffer frame = frame(0x81, Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
    links.forEach(l -> l.inject(frame));
  }

  void injectBinaryToClients(Buffer payload) {
    Buffer frame = frame(0x82, payload);
    links.forEach(l -> l.inject(frame));
  }

  public Future<Void> close() {
    dropAll();
    NetServer s = server;
    server = null;
    return Future.join(s == null ? Future.succeededFuture() : s.close(), client.close()).mapEmpty();
  }

  private void onClient(NetSocket downstream) {
    Link link = new Link(downstream);
    links.add(link);
    if (stalled) {
      downstream.pause();
    }
    if (silenceAfterMs >= 0) {
      vertx.setTimer(Math.max(1, silenceAfterMs), t -> link.silence());
    }
  }

  /** An unmasked (server to client) WebSocket frame. */
  static Buffer frame(int firstByte, Buffer payload) {
    Buffer b = Buffer.buffer(payload.length() + 10).appendByte((byte) firstByte);
    int n = payload.length();
    if (n < 126) {
      b.appendByte((byte) n);
    } else if (n < 65_536) {
      b.appendByte((byte) 126).appendShort((short) n);
    } else {
      b.appendByte((byte) 127).appendLong(n);
    }
    return b.appendBuffer(payload);
  }

  /** One client connection and its gateway connection. */
  private final class Link {
    final NetSocket downstream;
    NetSocket upstream;
    /** Client bytes until the upgrade request is complete. */
    Buffer requestHead = Buffer.buffer();
    boolean requestSent;
    /** Gateway bytes not yet forwarded: the 101 response, then whole frames only. */
    Buffer fromGateway = Buffer.buffer();
    boolean responseForwarded;
    /** The gateway refused the upgrade: what follows is plain HTTP, forwarded as it comes. */
    boolean raw;
    final List<Buffer> injections = new ArrayList<>();
    final List<Buffer> toGateway = new ArrayList<>();
    boolean closed;
    boolean silent;

    Link(NetSocket downstream) {
      this.downstream = downstream;
      downstream.handler(this::fromClient);
      downstream.closeHandler(v -> close());
      downstream.exceptionHandler(err -> close());
    }

    void silence() {
      silent = true;
      downstream.pause();
      if (upstream != null) {
        upstream.pause();
      }
    }

    void fromClient(Buffer data) {
      if (closed || silent) {
        return;
      }
      if (!requestSent) {
        requestHead.appendBuffer(data);
        String head = requestHead.toString(StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
          return;
        }
        requestSent = true;
        onUpgradeRequest(head.substring(0, end));
        return;
      }
      if (upstream == null) {
        toGateway.add(data);
      } else {
        upstream.write(data);
        if (upstream.writeQueueFull()) {
          downstream.pause();
          upstream.drainHandler(v -> {
            if (!stalled && !silent) {
              downstream.resume();
            }
          });
        }
      }
    }

    void onUpgradeRequest(String head) {
      upgrades++;
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("authorization")) {
          authorizations.add(line.substring(colon + 1).trim());
        }
      }
      if (rejectStatus > 0) {
        downstream.write("HTTP/1.1 " + rejectStatus + " Rejected\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .onComplete(ar -> close());
        return;
      }
      Buffer request = requestHead;
      requestHead = null;
      client.connect(upstreamPort, "127.0.0.1").onComplete(ar -> {
        if (closed) {
          if (ar.succeeded()) {
            ar.result().close();
          }
          return;
        }
        if (ar.failed()) {
          downstream.write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .onComplete(w -> close());
          return;
        }
        accepted++;
        upstream = ar.result();
        upstream.handler(this::fromGatewayData);
        upstream.closeHandler(v -> close());
        upstream.exceptionHandler(err -> close());
        upstream.write(request);
        toGateway.forEach(upstream::write);
        toGateway.clear();
      });
    }

    void fromGatewayData(Buffer data) {
      if (closed || silent) {
        return;
      }
      if (raw) {
        downstream.write(data);
        return;
      }
      fromGateway.appendBuffer(data);
      if (!responseForwarded) {
        String head = fromGateway.toString(StandardCharsets.ISO_8859_1);
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
          return;
        }
        downstream.write(fromGateway.getBuffer(0, end + 4));
        fromGateway = fromGateway.getBuffer(end + 4, fromGateway.length());
        responseForwarded = true;
        if (!head.startsWith("HTTP/1.1 101")) {
          raw = true;
          downstream.write(fromGateway);
          fromGateway = Buffer.buffer();
          return;
        }
      }
      int at = 0;
      while (true) {
        int total = frameLength(fromGateway, at);
        if (total < 0) {
          break;
        }
        downstream.write(fromGateway.getBuffer(at, at + total));
        at += total;
        flushInjections();
      }
      fromGateway = fromGateway.getBuffer(at, fromGateway.length());
      if (downstream.writeQueueFull()) {
        upstream.pause();
        downstream.drainHandler(v -> {
          if (!silent) {
            upstream.resume();
          }
        });
      }
    }

    void inject(Buffer frame) {
      injections.add(frame);
      if (responseForwarded && fromGateway.length() == 0) {
        flushInjections();
      }
    }

    void flushInjections() {
      for (Buffer b : injections) {
        downstream.write(b);
      }
      injections.clear();
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      links.remove(this);
      downstream.close();
      if (upstream != null) {
        upstream.close();
      }
    }
  }

  /** The length of the whole unmasked-or-masked frame at {@code at}, or -1 if not all there. */
  private static int frameLength(Buffer b, int at) {
    int avail = b.length() - at;
    if (avail < 2) {
      return -1;
    }
    int second = b.getUnsignedByte(at + 1);
    boolean masked = (second & 0x80) != 0;
    long len = second & 0x7f;
    int header = 2;
    if (len == 126) {
      if (avail < 4) {
        return -1;
      }
      len = b.getUnsignedShort(at + 2);
      header = 4;
    } else if (len == 127) {
      if (avail < 10) {
        return -1;
      }
      len = b.getLong(at + 2);
      header = 10;
    }
    if (masked) {
      header += 4;
    }
    long total = header + len;
    return avail >= total ? (int) total : -1;
  }

}
