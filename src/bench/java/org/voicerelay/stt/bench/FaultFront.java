package org.voicerelay.stt.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The TCP front of {@link FaultGatewayMain}: every client connection is passed to the gateway on a
 * connection of its own, byte for byte, and the front can silence the open ones or (drop mode)
 * close each right after the gateway's {@code 101} answer. Written on Netty directly so that the
 * bytes pass as the buffers they were read into: through Vert.x's {@code NetSocket} every byte was
 * copied to the heap once more, and at 1000 streams the front cost the gateway's process a third of
 * its CPU in a reconnect storm, which the bench then charged to the client under test.
 *
 * <p>Everything runs on the one thread of {@code group}, so the front's state needs no locks.
 */
final class FaultFront {

  private static final String ROOM_HEADER = "x-livekit-room-id";

  private final EventLoopGroup group;
  private final int gatewayPort;
  private final boolean dropMode;
  private final Consumer<String> onRequest;
  private final Set<Link> links = new HashSet<>();
  private Channel server;

  /**
   * @param onRequest told each connection's {@code X-LiveKit-Room-ID} ({@code -} without one) when
   *     its upgrade request is in, on the front's thread
   */
  private FaultFront(EventLoopGroup group, int gatewayPort, boolean dropMode, Consumer<String> onRequest) {
    this.group = group;
    this.gatewayPort = gatewayPort;
    this.dropMode = dropMode;
    this.onRequest = onRequest;
  }

  /** Listens on {@code port} (0: any) of the loopback; returns once it does. */
  static FaultFront listen(EventLoopGroup group, int port, int gatewayPort, boolean dropMode,
      Consumer<String> onRequest) throws InterruptedException {
    FaultFront front = new FaultFront(group, gatewayPort, dropMode, onRequest);
    front.server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096).option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(front.new Link());
          }
        })
        .bind("127.0.0.1", port).sync().channel();
    return front;
  }

  int port() {
    return ((java.net.InetSocketAddress) server.localAddress()).getPort();
  }

  /** Silences every open connection; returns how many. */
  int silenceOpen() throws Exception {
    return group.submit(() -> {
      int n = 0;
      for (Link link : new ArrayList<>(links)) {
        if (!link.closed) {
          link.silence();
          n++;
        }
      }
      return n;
    }).get();
  }

  /** Stops listening; open connections stay. */
  void close() throws InterruptedException {
    server.close().sync();
  }

  /** One client connection (this handler is on it) and its gateway connection. */
  private final class Link extends ChannelInboundHandlerAdapter {
    private Channel client;
    private Channel upstream;
    /** The upgrade request as it comes in; null once it is complete. */
    private ByteBuf head = Unpooled.buffer(1024);
    /** What came after the request before the gateway connection was up. */
    private final List<ByteBuf> pending = new ArrayList<>();
    /** drop mode: the gateway's bytes until its 101 answer is complete */
    private ByteBuf answer;
    private boolean silent;
    private boolean closed;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      client = ctx.channel();
      links.add(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf data = passing(msg);
      if (data == null) {
        return;
      }
      if (head != null) {
        head.writeBytes(data);
        data.release();
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end >= 0) {
          onRequest(text.substring(0, end));
        } else if (head.readableBytes() > 65_536) {
          close();
        }
        return;
      }
      if (upstream == null) {
        pending.add(data);
        return;
      }
      upstream.write(data, upstream.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (upstream != null && !closed) {
        upstream.flush();
        if (!upstream.isWritable()) {
          client.config().setAutoRead(false); // on until the gateway takes what it has
        }
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (client.isWritable() && upstream != null && !silent) {
        upstream.config().setAutoRead(true);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      close();
    }

    private void onRequest(String requestHead) {
      String key = "-";
      for (String line : requestHead.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(ROOM_HEADER)) {
          key = line.substring(colon + 1).trim().replace(' ', '_');
        }
      }
      FaultFront.this.onRequest.accept(key);
      ByteBuf request = head;
      head = null;
      client.config().setAutoRead(false);
      new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new Upstream())
          .connect("127.0.0.1", gatewayPort).addListener((ChannelFutureListener) connected -> {
            if (!connected.isSuccess()) {
              request.release();
              close();
              return;
            }
            if (closed) {
              request.release();
              connected.channel().close();
              return;
            }
            upstream = connected.channel();
            upstream.write(request, upstream.voidPromise());
            pending.forEach(b -> upstream.write(b, upstream.voidPromise()));
            pending.clear();
            upstream.flush();
            if (silent) {
              upstream.config().setAutoRead(false);
            } else {
              client.config().setAutoRead(true);
            }
          });
    }

    /** What was read on either side, or null (and released) when the link passes nothing. */
    private ByteBuf passing(Object msg) {
      ByteBuf data = (ByteBuf) msg;
      if (closed || silent) {
        data.release();
        return null;
      }
      return data;
    }

    /** Nothing passes either way from now on; the connection stays open. */
    void silence() {
      silent = true;
      client.config().setAutoRead(false);
      if (upstream != null) {
        upstream.config().setAutoRead(false);
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      links.remove(this);
      client.close();
      if (upstream != null) {
        upstream.close();
      }
      if (head != null) {
        head.release();
        head = null;
      }
      if (answer != null) {
        answer.release();
        answer = null;
      }
      pending.forEach(ReferenceCountUtil::release);
      pending.clear();
    }

    /** The gateway's side of the link. */
    private final class Upstream extends ChannelInboundHandlerAdapter {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = passing(msg);
        if (data == null) {
          return;
        }
        if (dropMode) {
          if (answer == null) {
            answer = Unpooled.buffer(256);
          }
          answer.writeBytes(data);
          data.release();
          int end = answer.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
          if (end >= 0) {
            ByteBuf upgraded = answer.retainedSlice(0, end + 4);
            client.writeAndFlush(upgraded).addListener(f -> close());
          }
          return;
        }
        client.write(data, client.voidPromise());
      }

      @Override
      public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!closed) {
          client.flush();
          if (!client.isWritable()) {
            ctx.channel().config().setAutoRead(false); // on until the client takes what it has
          }
        }
      }

      @Override
      public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !silent) {
          client.config().setAutoRead(true);
        }
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        if (!silent) {
          close(); // a silent connection stays open toward the client even when the gateway ends its side
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!silent) {
          close();
        }
      }
    }
  }
}
