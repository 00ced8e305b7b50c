package org.decwebrtc.stun.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.spi.transport.Transport;
import org.decwebrtc.stun.message.MessageType;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A STUN server on one port, UDP and TCP (and optionally TLS on a second port), reusable by TURN: it owns sockets, framing, validation and counters,
 * and routes each method to a {@link StunHandler}. Build it with {@link #builder(Vertx)}, register the handlers
 * (at least {@link BindingHandler}), then {@link Builder#listen()}.
 *
 * <p>Threading: with {@code udpSockets(1)} (the default) every handler runs on the context that called
 * {@code listen()}, so handler state needs no locking. With more sockets (SO_REUSEPORT, native epoll only) the
 * kernel spreads clients over several event loops by 4-tuple hash: a given client always lands on the same
 * socket, but handlers run concurrently and shared state must be thread-safe.
 *
 * <p>Addresses: a specific {@code bind} address is used as is. The wildcard {@code 0.0.0.0} binds {@code ::}
 * (dual stack, IPv4 clients appear as IPv4) and falls back to {@code 0.0.0.0} when the host has no IPv6; if the
 * kernel forces IPv6-only wildcard sockets (net.ipv6.bindv6only=1) both {@code 0.0.0.0} and {@code ::} are bound.
 */
public final class StunServer {
    private static final Logger LOG = Logger.getLogger(StunServer.class.getName());
    /**
     * Ports held by STUN servers of this JVM. SO_REUSEPORT would let a second server join the first one's port
     * (and Vert.x shares a TCP listener within one Vertx), splitting traffic silently; a second server on a
     * taken port must fail instead. Across processes the plain TCP listener gives the same guarantee.
     */
    private static final Set<Integer> PORTS_IN_USE = ConcurrentHashMap.newKeySet();

    private final Vertx vertx;
    private final Builder config;
    private final Dispatcher dispatcher;
    private final List<Channel> udpChannels = new ArrayList<>();
    private final List<NetServer> tcpServers = new ArrayList<>();
    private int port;
    private int tlsPort;
    private int claimedPort;
    private final AtomicInteger openTcpConnections = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> tcpConnectionsByPrefix = new ConcurrentHashMap<>();

    private StunServer(Builder config) {
        this.vertx = config.vertx;
        this.config = config;
        this.dispatcher = new Dispatcher(config.requestHandlers.clone(), config.indicationHandlers.clone(),
                config.channelDataHandler, new StunMetrics(config.registry, config.name), config.legacyChannelNumbers);
        this.dispatcher.errorReplies = new ErrorReplyLimiter(config.errorReplyBurst, config.errorRepliesPerSecond);
    }

    public static Builder builder(Vertx vertx) {
        return new Builder(vertx);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return port;
    }

    /** The TLS port actually bound, 0 without {@link Builder#tls}. */
    public int tlsPort() {
        return tlsPort;
    }

    /** Number of UDP sockets bound (per address). */
    public int udpSocketCount() {
        return udpChannels.size();
    }

    /** The allocator of the UDP sockets (tests check its memory stays flat under garbage). */
    io.netty.buffer.ByteBufAllocator udpAllocator() {
        return udpChannels.get(0).alloc();
    }

    public StunMetrics metrics() {
        return dispatcher.metrics;
    }

    public Future<Void> close() {
        if (claimedPort != 0) {
            PORTS_IN_USE.remove(claimedPort);
            claimedPort = 0;
        }
        return closeSockets();
    }

    private Future<Void> closeSockets() {
        List<Future<Void>> all = new ArrayList<>();
        for (Channel c : udpChannels) {
            Promise<Void> p = Promise.promise();
            c.close().addListener(f -> p.complete());
            all.add(p.future());
        }
        for (NetServer s : tcpServers) {
            all.add(s.close());
        }
        udpChannels.clear();
        tcpServers.clear();
        return Future.join(all).mapEmpty();
    }

    private Future<StunServer> start() {
        if (config.port != 0) {
            if (!PORTS_IN_USE.add(config.port)) {
                return Future.failedFuture(new IllegalStateException("STUN port " + config.port
                        + " is already used by another STUN/TURN server in this process"));
            }
            claimedPort = config.port;
        }
        List<String> hosts = wildcardHosts(config.bind);
        Future<Void> started = bindAll(hosts, config.port);
        if (hosts.size() == 1 && hosts.get(0).equals("::")) {
            started = started.recover(e -> {
                LOG.info("no IPv6 wildcard (" + e.getMessage() + "), STUN listens on IPv4 only");
                return closeSockets().compose(v -> bindAll(List.of("0.0.0.0"), config.port));
            });
        }
        return started.map(v -> this).recover(e -> close().transform(x -> Future.failedFuture(e)));
    }

    private static List<String> wildcardHosts(String bind) {
        if (bind == null || bind.isBlank() || bind.equals("0.0.0.0")) {
            return WildcardPolicy.ipv6OnlyByDefault() ? List.of("0.0.0.0", "::") : List.of("::");
        }
        return List.of(bind);
    }

    private Future<Void> bindAll(List<String> hosts, int requestedPort) {
        Future<Void> chain = Future.succeededFuture();
        for (String host : hosts) {
            chain = chain.compose(v -> bindHost(host, port != 0 ? port : requestedPort));
        }
        return chain;
    }

    /** UDP first (it tells us the port when 0 was asked), then TCP on the same port. */
    private Future<Void> bindHost(String host, int wantedPort) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return Future.failedFuture(new IllegalArgumentException("cannot resolve STUN bind address " + host));
        }
        VertxInternal vx = (VertxInternal) vertx;
        int sockets = config.udpSockets;
        if (sockets > 1 && !vertx.isNativeTransportEnabled()) {
            LOG.info("native transport unavailable: one UDP socket instead of " + sockets + " (no SO_REUSEPORT)");
            sockets = 1;
        }
        ContextInternal first = vx.getOrCreateContext();
        Future<Void> chain = bindUdp(vx, first, address, wantedPort, sockets > 1);
        for (int i = 1; i < sockets; i++) {
            chain = chain.compose(v -> bindUdp(vx, vx.createEventLoopContext(), address, port, true));
        }
        if (config.tcp) {
            chain = chain.compose(v -> bindTcp(host));
        }
        return chain;
    }

    private Future<Void> bindUdp(VertxInternal vx, ContextInternal context, InetAddress address, int wantedPort,
                                 boolean reusePort) {
        Transport transport = vx.transport();
        boolean ipv6 = address instanceof Inet6Address;
        DatagramSocketOptions options = new DatagramSocketOptions().setReusePort(reusePort);
        if (config.receiveBufferSize > 0) {
            options.setReceiveBufferSize(config.receiveBufferSize);
        }
        UdpEndpoint endpoint = new UdpEndpoint(context, dispatcher);
        Bootstrap bootstrap = new Bootstrap()
                .group(context.nettyEventLoop())
                .channelFactory(() -> {
                    DatagramChannel channel = UdpTuning.newChannel(transport, ipv6);
                    transport.configure(channel, options);
                    UdpTuning.apply(channel);
                    return channel;
                })
                .handler(endpoint);
        Promise<Void> promise = context.promise();
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(address, wantedPort));
        bound.addListener(f -> {
            if (f.isSuccess()) {
                udpChannels.add(bound.channel());
                port = ((InetSocketAddress) bound.channel().localAddress()).getPort();
                if (claimedPort == 0 && PORTS_IN_USE.add(port)) {
                    claimedPort = port;
                }
                promise.complete();
            } else {
                promise.fail(f.cause());
            }
        });
        return promise.future();
    }

    /** The event loops of the UDP sockets (one per socket), where UDP clients' requests are handled. */
    public List<io.netty.channel.EventLoop> udpEventLoops() {
        return udpChannels.stream().map(Channel::eventLoop).distinct().toList();
    }

    private Future<Void> bindTcp(String host) {
        NetServerOptions options = new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true);
        if (config.tcpIdleTimeoutSeconds > 0) {
            options.setIdleTimeout(config.tcpIdleTimeoutSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS);
        }
        NetServer server = vertx.createNetServer(options);
        server.connectHandler(this::acceptTcp);
        Future<Void> bound = server.listen().onSuccess(tcpServers::add).mapEmpty();
        if (config.tls != null) {
            // TLS is stream framing like TCP once decrypted: the same connection handler serves both.
            // A second wildcard address (IPv4 and IPv6 bound apart) takes the port the first one got.
            TlsListener tls = tlsPort == 0 ? config.tls : new TlsListener(tlsPort, config.tls.keyCert(), false);
            bound = bound.compose(v -> tls.listen(vertx, host, options.getIdleTimeout(), this::acceptTcp))
                    .onSuccess(s -> {
                        tcpServers.add(s);
                        tlsPort = s.actualPort();
                    }).mapEmpty();
        }
        return bound;
    }

    /**
     * Takes a new STUN/TURN stream connection, or closes it when the server or the client's source prefix
     * already has its share. Also the entry point for streams accepted elsewhere (a TLS listener) that carry the
     * same framing.
     */
    public void acceptTcp(io.vertx.core.net.NetSocket socket) {
        // Each connection may buffer one frame (<= 64 KiB) until its deadline: cap their number, in all and per
        // source, so one host cannot take every slot.
        InetAddress prefix = sourcePrefix(socket.remoteAddress());
        if (openTcpConnections.incrementAndGet() > config.maxTcpConnections) {
            openTcpConnections.decrementAndGet();
            dispatcher.metrics.tcpRefused.increment();
            socket.close();
            return;
        }
        if (prefix != null && tcpConnectionsByPrefix.merge(prefix, 1, Integer::sum) > config.maxTcpConnectionsPerAddress) {
            releasePrefix(prefix);
            openTcpConnections.decrementAndGet();
            dispatcher.metrics.tcpRefusedPerAddress.increment();
            socket.close();
            return;
        }
        dispatcher.metrics.tcpConnections.increment();
        new TcpConnection(vertx, socket, dispatcher, config.tcpStallTimeoutMs, config.tcpFirstUseTimeoutMs, client -> {
            openTcpConnections.decrementAndGet();
            if (prefix != null) {
                releasePrefix(prefix);
            }
            if (config.tcpCloseHandler != null) {
                config.tcpCloseHandler.accept(client);
            }
        });
    }

    private void releasePrefix(InetAddress prefix) {
        tcpConnectionsByPrefix.computeIfPresent(prefix, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static InetAddress sourcePrefix(io.vertx.core.net.SocketAddress remote) {
        try {
            return remote == null || remote.hostAddress() == null ? null
                    : SourcePrefix.of(InetAddress.getByName(remote.hostAddress()));
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Configuration and handlers; {@link #listen()} creates and starts the server. */
    public static final class Builder {
        private final Vertx vertx;
        private final StunHandler[] requestHandlers = new StunHandler[0x1000];
        private final StunHandler[] indicationHandlers = new StunHandler[0x1000];
        private ChannelDataHandler channelDataHandler;
        private boolean legacyChannelNumbers;
        private Consumer<StunClient> tcpCloseHandler;
        private String bind = org.decwebrtc.api.config.NodeConfig.DEFAULTS.bind();
        private int port = org.decwebrtc.api.config.StunConfig.DEFAULTS.port();
        private int udpSockets = 1;
        private boolean tcp = true;
        private int receiveBufferSize;
        private long tcpStallTimeoutMs = 10_000;
        private int tcpIdleTimeoutSeconds = 0;
        private int maxTcpConnections = 10_000;
        private int maxTcpConnectionsPerAddress = 64;
        private long tcpFirstUseTimeoutMs = 15_000;
        private int errorReplyBurst = 100;
        private int errorRepliesPerSecond = 50;
        private MeterRegistry registry = new SimpleMeterRegistry();
        private String name = "stun";
        private TlsListener tls;

        private Builder(Vertx vertx) {
            this.vertx = vertx;
        }

        public Builder bind(String host) {
            this.bind = host;
            return this;
        }

        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** UDP sockets sharing the port via SO_REUSEPORT, one per event loop; see the class comment. */
        public Builder udpSockets(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("need at least one UDP socket");
            }
            this.udpSockets = count;
            return this;
        }

        public Builder tcp(boolean enabled) {
            this.tcp = enabled;
            return this;
        }

        /** SO_RCVBUF for the UDP sockets; 0 keeps the OS default. */
        public Builder receiveBufferSize(int bytes) {
            this.receiveBufferSize = bytes;
            return this;
        }

        /** How long a TCP connection may hold an incomplete frame before it is closed (0: never). */
        public Builder tcpStallTimeoutMs(long millis) {
            this.tcpStallTimeoutMs = millis;
            return this;
        }

        /** Close TCP connections idle for this long (0: never; TURN keeps them as long as the allocation). */
        public Builder tcpIdleTimeoutSeconds(int seconds) {
            this.tcpIdleTimeoutSeconds = seconds;
            return this;
        }

        /** Connections beyond this many open ones are closed at once (and counted). */
        public Builder maxTcpConnections(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxTcpConnections must be at least 1");
            }
            this.maxTcpConnections = max;
            return this;
        }

        /** Also accept STUN/TURN over TLS (needs {@code tcp}); RFC 8656's {@code turns:}. */
        public Builder tls(TlsListener listener) {
            this.tls = listener;
            return this;
        }

        /** Open connections allowed from one source (/24 or /64); more are closed at once (and counted). */
        public Builder maxTcpConnectionsPerAddress(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxTcpConnectionsPerAddress must be at least 1");
            }
            this.maxTcpConnectionsPerAddress = max;
            return this;
        }

        /**
         * How long a new TCP connection may go without a complete frame before a handler marks it in use
         * ({@link StunClient#markInUse()}); 0: no limit.
         */
        public Builder tcpFirstUseTimeoutMs(long millis) {
            this.tcpFirstUseTimeoutMs = millis;
            return this;
        }

        /**
         * Error responses without MESSAGE-INTEGRITY over UDP, per source /24 or /64: {@code burst} at once, then
         * {@code perSecond} (0: unlimited). They answer whoever the source address claims to be.
         */
        public Builder errorReplyLimit(int burst, int perSecond) {
            this.errorReplyBurst = burst;
            this.errorRepliesPerSecond = perSecond;
            return this;
        }

        /** Micrometer registry and the {@code server} tag of this server's meters. */
        public Builder metrics(MeterRegistry registry, String name) {
            this.registry = registry;
            this.name = name;
            return this;
        }

        public Builder onRequest(int method, StunHandler handler) {
            requestHandlers[checkMethod(method)] = handler;
            return this;
        }

        public Builder onIndication(int method, StunHandler handler) {
            indicationHandlers[checkMethod(method)] = handler;
            return this;
        }

        /** Enables ChannelData on this port; without a handler ChannelData is dropped as non-STUN. */
        public Builder onChannelData(ChannelDataHandler handler) {
            this.channelDataHandler = handler;
            return this;
        }

        /** Also route first bytes 0x50-0x7F as ChannelData: RFC 5766 clients bind channels up to 0x7FFF. */
        public Builder legacyChannelNumbers(boolean enabled) {
            this.legacyChannelNumbers = enabled;
            return this;
        }

        /** Called when a TCP client's connection closes (TURN frees the allocation of that 5-tuple). */
        public Builder onTcpClose(Consumer<StunClient> handler) {
            this.tcpCloseHandler = handler;
            return this;
        }

        /** Shorthand: answer Binding requests, ignore Binding indications (keep-alives). */
        public Builder binding(String software) {
            BindingHandler handler = new BindingHandler(software);
            onRequest(MessageType.BINDING, handler);
            onIndication(MessageType.BINDING, handler);
            return this;
        }

        private static int checkMethod(int method) {
            if (method < 0 || method > 0xFFF) {
                throw new IllegalArgumentException("method out of range: " + method);
            }
            return method;
        }

        /** Binds UDP and TCP; the future fails (and nothing stays bound) if any socket cannot be bound. */
        public Future<StunServer> listen() {
            return new StunServer(this).start();
        }
    }
}
