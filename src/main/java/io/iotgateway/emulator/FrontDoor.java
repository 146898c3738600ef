package io.iotgateway.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

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
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulator's listening port: each connection is handed on, byte for byte, to Moquette on a loopback port, through
 * a {@link ClientStream} that corrects what Moquette does differently from the platform (MQTT 3.1 client ids, the
 * retain flag, and one log line for a connection that is no MQTT at all). Reads are paced by writes on either side,
 * so a slow reader slows its writer and nothing piles up here.
 */
final class FrontDoor {

    private static final Logger logger = LoggerFactory.getLogger(FrontDoor.class);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2,
            new DefaultThreadFactory("iot-emulator-door", true), NioIoHandler.newFactory());

    private Channel listening;

    /**
     * Listens on the address and hands every connection on to the broker.
     * @return the port it listens on
     * @throws UncheckedIOException when it cannot listen, e.g. the port is taken
     */
    int open(String host, int port, InetSocketAddress broker) {
        ServerBootstrap bootstrap = new ServerBootstrap().group(this.group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(new ClientSide(broker));
                }
            });
        try {
            this.listening = bootstrap.bind(host, port).syncUninterruptibly().channel();
        }
        // Netty rethrows the bind's IOException unchecked
        catch (Exception ex) {
            close();
            if (ex instanceof IOException failure) {
                throw new UncheckedIOException("The IoT Platform emulator cannot listen on " + host + ":" + port
                        + " (is the port taken?)", failure);
            }
            throw (ex instanceof RuntimeException unchecked) ? unchecked : new IllegalStateException(ex);
        }
        return ((InetSocketAddress) this.listening.localAddress()).getPort();
    }

    /** Stops listening and closes every connection. */
    void close() {
        if (this.listening != null) {
            this.listening.close().syncUninterruptibly();
        }
        this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The client's connection: connects to the broker once the client is there, then relays. */
    private static final class ClientSide extends ChannelInboundHandlerAdapter {

        private final InetSocketAddress broker;

        private ClientStream stream;

        private Channel brokerSide;

        private boolean loggedMqtt31;

        ClientSide(InetSocketAddress broker) {
            this.broker = broker;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            this.stream = new ClientStream(ctx.alloc());
            Bootstrap bootstrap = new Bootstrap().group(client.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new BrokerSide(client));
            bootstrap.connect(this.broker).addListener((ChannelFutureListener) (connected) -> {
                if (connected.isSuccess() && !client.isActive()) {
                    // the client left while its broker connection was being made
                    connected.channel().close();
                }
                else if (connected.isSuccess()) {
                    this.brokerSide = connected.channel();
                    client.read();
                }
                else {
                    logger.warn("Emulator could not hand a connection on to its broker: {}",
                            connected.cause().toString());
                    client.close();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            switch (this.stream.accept((ByteBuf) message)) {
                case ClientStream.Step.Refuse refuse -> {
                    logger.warn("Emulator closed the connection from {}: {}", ctx.channel().remoteAddress(),
                            refuse.reason());
                    ctx.close();
                }
                case ClientStream.Step.Forward forward -> relay(ctx, forward);
            }
        }

        private void relay(ChannelHandlerContext ctx, ClientStream.Step.Forward forward) {
            long clearedBefore = this.stream.clearedRetainFlags();
            this.brokerSide.writeAndFlush(forward.bytes()).addListener((ChannelFutureListener) (written) -> {
                if (written.isSuccess()) {
                    ctx.channel().read();
                }
                else {
                    written.channel().close();
                }
            });
            if (this.stream.isMqtt31() && !this.loggedMqtt31) {
                this.loggedMqtt31 = true;
                logger.info("Emulator reads the MQTT 3.1 CONNECT of client '{}' as 3.1.1 (the same packets, and no "
                        + "23-character cap on the client id)", LogText.escape(this.stream.clientId()));
            }
            if (clearedBefore == 0 && this.stream.clearedRetainFlags() > 0) {
                logger.warn("Emulator cleared the retain flag of a PUBLISH of client '{}': the platform keeps no "
                        + "retained messages on MQTT 3.1.1, so it is delivered once and never again",
                        LogText.escape(this.stream.clientId()));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (this.stream != null) {
                this.stream.release();
            }
            if (this.brokerSide != null) {
                closeOnFlush(this.brokerSide);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            logger.debug("Emulator connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }

    /** The connection to the broker: relays what the broker sends back to the client. */
    private static final class BrokerSide extends ChannelInboundHandlerAdapter {

        private final Channel client;

        BrokerSide(Channel client) {
            this.client = client;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            this.client.writeAndFlush(message).addListener((ChannelFutureListener) (written) -> {
                if (written.isSuccess()) {
                    ctx.channel().read();
                }
                else {
                    ctx.close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeOnFlush(this.client);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
