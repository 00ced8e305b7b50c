package org.decwebrtc.turn.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.vertx.core.spi.transport.Transport;
import org.decwebrtc.stun.message.AttributeType;
import org.decwebrtc.stun.message.ErrorCode;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.StunAttribute;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.decwebrtc.stun.server.FiveTuple;
import org.decwebrtc.stun.server.Responses;
import org.decwebrtc.stun.server.StunClient;
import org.decwebrtc.turn.TurnMetrics;
import org.decwebrtc.turn.TurnSettings;
import org.decwebrtc.turn.alloc.Allocation;
import org.decwebrtc.turn.alloc.AllocationTable;
import org.decwebrtc.turn.alloc.Quotas;
import org.decwebrtc.turn.auth.Authenticator;
import org.decwebrtc.turn.message.ChannelNumber;
import org.decwebrtc.turn.message.Data;
import org.decwebrtc.turn.message.EvenPort;
import org.decwebrtc.turn.message.Lifetime;
import org.decwebrtc.turn.message.RequestedAddressFamily;
import org.decwebrtc.turn.message.RequestedTransport;
import org.decwebrtc.turn.message.ReservationToken;
import org.decwebrtc.turn.message.TurnErrorCodes;
import org.decwebrtc.turn.policy.PeerPolicy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The TURN protocol (RFC 8656) on top of the shared STUN server: Allocate, Refresh, CreatePermission,
 * ChannelBind, Send/Data indications and ChannelData, for UDP and TCP clients. One instance per
 * event loop: a client's datagrams always reach the same SO_REUSEPORT socket, hence the same loop, whose instance
 * owns that client's allocation and relay socket without locks; quotas, ports and reservations are shared.
 */
public final class TurnServer {
    private static final Logger LOG = Logger.getLogger(TurnServer.class.getName());
    private static final int MAX_RELAY_BIND_ATTEMPTS = 16;

    private final TurnSettings settings;
    private final AllocationTable table;
    private final Authenticator authenticator;
    private final TurnMetrics metrics;
    private final EventLoop loop;
    private final Transport transport;
    private final InetAddress relayIp;
    private final LongSupplier clock;
    private final PeerPolicy policy;
    private final Reservations reservations;
    private final Set<FiveTuple> pending = new HashSet<>();
    private final java.util.function.IntPredicate ownPort;
    /** Allocations this instance owns plus relay sockets on its loop: how busy the loop is, for relay placement. */
    private final java.util.concurrent.atomic.AtomicInteger load = new java.util.concurrent.atomic.AtomicInteger();
    private java.util.function.UnaryOperator<TurnServer> relayHost = owner -> {
        owner.loadAdded();
        return owner;
    };

    public TurnServer(TurnSettings settings, AllocationTable table, Reservations reservations, Authenticator authenticator,
                      TurnMetrics metrics, EventLoop loop, Transport transport, InetAddress relayIp, LongSupplier clock) {
        this(settings, table, reservations, authenticator, metrics, loop, transport, relayIp, clock, port -> false);
    }

    /** {@code ownPort}: ports of this node's own services (STUN/TURN, gossip, web, metrics) on its addresses. */
    public TurnServer(TurnSettings settings, AllocationTable table, Reservations reservations, Authenticator authenticator,
                      TurnMetrics metrics, EventLoop loop, Transport transport, InetAddress relayIp, LongSupplier clock,
                      java.util.function.IntPredicate ownPort) {
        this.ownPort = ownPort;
        this.reservations = reservations;
        this.settings = settings;
        this.table = table;
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.loop = loop;
        this.transport = transport;
        this.relayIp = relayIp;
        this.clock = clock;
        this.policy = settings.peerPolicy();
    }

    /** Where relay sockets of new allocations go (by default on this loop); see {@link TurnShards#relayHost}. */
    public TurnServer placeRelaysWith(java.util.function.UnaryOperator<TurnServer> relayHost) {
        this.relayHost = relayHost;
        return this;
    }

    /** Allocations owned plus relays hosted; read from any loop. */
    public int load() {
        return load.get();
    }

    void loadAdded() {
        load.incrementAndGet();
    }

    private void loadRemoved() {
        load.decrementAndGet();
    }

    /** Runs {@code task} on this instance's loop: its table and pending set are that loop's alone. */
    private void onOwnLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    // ---- authentication shared by all requests -------------------------------------------------------------

    /** Authenticates or answers the error itself and returns null. */
    private Authenticator.Outcome authenticate(StunMessage request, StunClient client) {
        Authenticator.Outcome auth = authenticator.authenticate(request, client.remote().getAddress().getHostAddress());
        if (auth.ok()) {
            return auth;
        }
        switch (auth.failure()) {
            case STALE_NONCE -> metrics.staleNonces.increment();
            case CHALLENGE -> { }
            default -> metrics.authFailures.increment();
        }
        ErrorCode refusedWith = auth.error().get(ErrorCode.class);
        metrics.refused(refusedWith == null ? ErrorCode.UNAUTHENTICATED : refusedWith.code());
        client.send(Responses.finish(request, auth.error().toBuilder()), null);
        return null;
    }

    private void success(StunMessage request, StunClient client, Authenticator.Outcome auth, StunAttribute... attributes) {
        StunMessage.Builder b = request.respond(MessageType.SUCCESS);
        for (StunAttribute a : attributes) {
            b.add(a);
        }
        client.send(Responses.finish(request, Authenticator.sign(b, auth)), auth.key());
    }

    private void error(StunMessage request, StunClient client, Authenticator.Outcome auth, int code, String reason) {
        metrics.refused(code);
        StunMessage.Builder b = Responses.error(request, code, reason);
        if (auth == null) {
            client.send(Responses.finish(request, b), null);
        } else {
            client.send(Responses.finish(request, Authenticator.sign(b, auth)), auth.key());
        }
    }

    /** The allocation of this 5-tuple, checked to belong to the authenticated user (441 otherwise). */
    /** An authenticated request on the allocation of its own 5-tuple and user. */
    private record OwnAllocation(Authenticator.Outcome auth, Allocation allocation) {
    }

    /**
     * Authenticates a request that acts on an existing allocation (Refresh, CreatePermission, ChannelBind) and finds
     * that allocation; null when an error response (401/438, 437, 441) has already been sent.
     */
    private OwnAllocation ownAllocation(StunMessage request, StunClient client) {
        Authenticator.Outcome auth = authenticate(request, client);
        if (auth == null) {
            return null;
        }
        Allocation a = table.get(client.fiveTuple());
        if (a == null) {
            error(request, client, auth, TurnErrorCodes.ALLOCATION_MISMATCH, "Allocation Mismatch");
            return null;
        }
        if (!a.username().equals(auth.username())) {
            error(request, client, auth, TurnErrorCodes.WRONG_CREDENTIALS, "Wrong Credentials");
            return null;
        }
        return new OwnAllocation(auth, a);
    }

    // ---- Allocate / Refresh --------------------------------------------------------------------------------

    public void onAllocate(StunMessage request, StunClient client) {
        Authenticator.Outcome auth = authenticate(request, client);
        if (auth == null) {
            return;
        }
        FiveTuple tuple = client.fiveTuple();
        InetAddress source = client.remote().getAddress();
        Allocation existing = table.get(tuple);
        if (existing != null) {
            if (existing.createdBy(request.transactionId())) {
                allocated(request, client, auth, existing, existing.reservationToken()); // a retransmission
            } else {
                error(request, client, auth, TurnErrorCodes.ALLOCATION_MISMATCH, "Allocation Mismatch");
            }
            return;
        }
        if (pending.contains(tuple)) {
            return; // a retransmission while the relay socket is being bound: the first answer is coming
        }
        RequestedTransport rt = request.get(RequestedTransport.class);
        if (rt == null) {
            error(request, client, auth, ErrorCode.BAD_REQUEST, "Bad Request: REQUESTED-TRANSPORT missing");
            return;
        }
        if (rt.protocol() != RequestedTransport.UDP) {
            error(request, client, auth, TurnErrorCodes.UNSUPPORTED_TRANSPORT_PROTOCOL, "Unsupported Transport Protocol");
            return;
        }
        EvenPort even = request.get(EvenPort.class);
        ReservationToken token = request.get(ReservationToken.class);
        RequestedAddressFamily family = request.get(RequestedAddressFamily.class);
        if (token != null && (even != null || family != null)) {
            error(request, client, auth, ErrorCode.BAD_REQUEST, "Bad Request: RESERVATION-TOKEN with EVEN-PORT or REQUESTED-ADDRESS-FAMILY");
            return;
        }
        int wanted = relayIp instanceof Inet4Address ? RequestedAddressFamily.IPV4 : RequestedAddressFamily.IPV6;
        if (family != null && family.family() != wanted) {
            error(request, client, auth, TurnErrorCodes.ADDRESS_FAMILY_NOT_SUPPORTED, "Address Family not Supported");
            return;
        }
        long now = clock.getAsLong();
        int port;
        if (token != null) {
            port = redeem(token.token(), auth.user(), source, now);
            if (port == QUOTA_FULL) {
                refuseOverQuota(request, client, auth);
                return;
            }
        } else {
            // Quotas count the person, not the credential: fresh REST credentials do not buy more allocations.
            if (table.admit(auth.user(), source) != Quotas.Admission.OK) {
                refuseOverQuota(request, client, auth);
                return;
            }
            if (even != null) {
                port = even.reserveNext() ? evenPair() : evenPort();
                if (port > 0 && even.reserveNext()) {
                    // The held odd port is one more thing the user occupies: it takes a quota slot of its own.
                    if (table.admit(auth.user(), source) != Quotas.Admission.OK) {
                        table.ports().release(port);
                        table.ports().release(port + 1);
                        table.cancel(auth.user(), source);
                        refuseOverQuota(request, client, auth);
                        return;
                    }
                }
            } else {
                port = table.ports().acquire();
            }
        }
        if (port <= 0) {
            if (token == null) {
                table.cancel(auth.user(), source);
            }
            error(request, client, auth, TurnErrorCodes.INSUFFICIENT_CAPACITY, "Insufficient Capacity");
            return;
        }
        pending.add(tuple);
        PortChoice choice = token != null ? PortChoice.RESERVED : even == null ? PortChoice.ANY
                : even.reserveNext() ? PortChoice.EVEN_PAIR : PortChoice.EVEN;
        loadAdded();
        TurnServer host = relayHost.apply(this);
        bindRelay(request, client, auth, host, port, choice, choice == PortChoice.RESERVED ? 1 : MAX_RELAY_BIND_ATTEMPTS);
    }

    private static final int QUOTA_FULL = -2;

    private void refuseOverQuota(StunMessage request, StunClient client, Authenticator.Outcome auth) {
        metrics.quotaRefusals.increment();
        error(request, client, auth, TurnErrorCodes.ALLOCATION_QUOTA_REACHED, "Allocation Quota Reached");
    }

    /**
     * The port of a RESERVATION-TOKEN with the quota slot it holds, now the new allocation's; -1 if the token is
     * unknown or expired, {@link #QUOTA_FULL} if another user redeems it and has no slot left.
     */
    private int redeem(long token, String user, InetAddress source, long now) {
        Reservations.Held held = reservations.take(token, now);
        if (held == null) {
            return -1;
        }
        if (!held.user().equals(user) || !java.util.Objects.equals(held.source(), source)) {
            if (table.admit(user, source) != Quotas.Admission.OK) {
                table.ports().release(held.port());
                table.cancel(held.user(), held.source());
                return QUOTA_FULL;
            }
            table.cancel(held.user(), held.source());
        }
        return held.port();
    }

    /** An even port whose odd neighbour is taken too (EVEN-PORT with R); -1 if no such pair turned up. */
    private int evenPair() {
        for (int tries = 0; tries < 32; tries++) {
            int p = evenPort();
            if (p < 0) {
                return -1;
            }
            if (table.ports().acquire(p + 1)) {
                return p;
            }
            // The neighbour is busy: try another even port rather than fail.
            table.ports().release(p);
        }
        return -1;
    }

    /** An even port from the pool; -1 if none turned up. */
    private int evenPort() {
        List<Integer> odd = new ArrayList<>();
        int found = -1;
        for (int i = 0; i < 64 && found < 0; i++) {
            int p = table.ports().acquire();
            if (p < 0) {
                break;
            }
            if (p % 2 == 0 && p < 65535) {
                found = p;
            } else {
                odd.add(p);
            }
        }
        odd.forEach(table.ports()::release);
        return found;
    }

    /** How the relay port of an Allocate was chosen, and so how another one is chosen if it cannot be bound. */
    private enum PortChoice { ANY, EVEN, EVEN_PAIR, RESERVED }

    private int nextPort(PortChoice choice) {
        return switch (choice) {
            case ANY -> table.ports().acquire();
            case EVEN -> evenPort();
            case EVEN_PAIR -> evenPair();
            case RESERVED -> -1;
        };
    }

    /**
     * Binds the relay socket on {@code host}'s loop and answers. With EVEN_PAIR the odd port above is held
     * (RESERVATION-TOKEN) once the even one is bound; its quota slot was taken by onAllocate and is given back if
     * nothing gets bound. The outcome is handled back on this loop, which owns the table.
     */
    private void bindRelay(StunMessage request, StunClient client, Authenticator.Outcome auth, TurnServer host,
                           int port, PortChoice choice, int attemptsLeft) {
        FiveTuple tuple = client.fiveTuple();
        InetAddress source = client.remote().getAddress();
        UdpRelay.open(transport, host.loop, relayIp, port, client, this::onPeerData, relay -> onOwnLoop(() -> {
            relay.onRelease(() -> {
                loadRemoved();
                host.loadRemoved();
            });
            pending.remove(tuple);
            if (!client.isOpen()) {
                relay.close(() -> table.ports().release(port));
                table.cancel(auth.user(), source);
                if (choice == PortChoice.EVEN_PAIR) {
                    table.ports().release(port + 1);
                    table.cancel(auth.user(), source);
                }
                return;
            }
            long now = clock.getAsLong();
            Long token = choice == PortChoice.EVEN_PAIR ? reservations.hold(port + 1, auth.user(), source, now) : null;
            long lifetime = lifetimeSeconds(request.get(Lifetime.class));
            Allocation a = table.add(tuple, auth.user(), auth.username(), relay, now + lifetime * 1000, System.nanoTime());
            relay.attach(a);
            a.createdBy(request.transactionId(), token);
            client.markInUse(); // a TCP client with an allocation may now stay as long as the allocation lives
            metrics.allocationsCreated.increment();
            allocated(request, client, auth, a, token);
        })).addListener(f -> onOwnLoop(() -> {
            if (!f.isSuccess()) {
                // The port is busy outside our control (another process): give it back and try another.
                LOG.fine("relay port " + port + " busy (" + attemptsLeft + " attempts left): " + f.cause());
                table.ports().release(port);
                if (choice == PortChoice.EVEN_PAIR) {
                    table.ports().release(port + 1);
                }
                int next = attemptsLeft > 1 ? nextPort(choice) : -1;
                if (next > 0) {
                    bindRelay(request, client, auth, host, next, choice, attemptsLeft - 1);
                } else {
                    pending.remove(tuple);
                    loadRemoved();
                    host.loadRemoved();
                    table.cancel(auth.user(), source);
                    if (choice == PortChoice.EVEN_PAIR) {
                        table.cancel(auth.user(), source);
                    }
                    LOG.warning("cannot bind a relay port for " + tuple + ": " + f.cause());
                    error(request, client, auth, TurnErrorCodes.INSUFFICIENT_CAPACITY, "Insufficient Capacity");
                }
            }
        }));
    }


    private void allocated(StunMessage request, StunClient client, Authenticator.Outcome auth, Allocation a, Long token) {
        long remaining = Math.max(0, (a.expiresAt() - clock.getAsLong()) / 1000);
                List<StunAttribute> attrs = new ArrayList<>(4);
        attrs.add(XorAddressAttribute.relayed(new InetSocketAddress(relayIp, a.relay().port())));
        attrs.add(new Lifetime(remaining));
        if (token != null) {
            attrs.add(new ReservationToken(token));
        }
        attrs.add(XorAddressAttribute.mapped(client.remote()));
        success(request, client, auth, attrs.toArray(StunAttribute[]::new));
    }

    /** RFC 8656 §7.2/§8: max(default, min(requested, maximum)); absent → default. */
    long lifetimeSeconds(Lifetime requested) {
        if (requested == null) {
            return settings.defaultLifetimeSeconds();
        }
        return Math.max(settings.defaultLifetimeSeconds(), Math.min(requested.seconds(), settings.maxLifetimeSeconds()));
    }

    public void onRefresh(StunMessage request, StunClient client) {
        OwnAllocation own = ownAllocation(request, client);
        if (own == null) {
            return;
        }
        Authenticator.Outcome auth = own.auth();
        Allocation a = own.allocation();
        Lifetime requested = request.get(Lifetime.class);
        if (requested != null && requested.seconds() == 0) {
            table.remove(a);
            success(request, client, auth, new Lifetime(0));
            return;
        }
        long lifetime = lifetimeSeconds(requested);
        table.refresh(a, clock.getAsLong() + lifetime * 1000);
        success(request, client, auth, new Lifetime(lifetime));
    }

    // ---- CreatePermission / ChannelBind --------------------------------------------------------------------

    /** 403 if the policy refuses the peer, 443 if it is of another family than the relay; else null. */
    private String refusal(InetSocketAddress peerAddress, int[] code) {
        PeerPolicy.Verdict v = policy.check(peerAddress.getAddress());
        if (!v.allowed()) {
            metrics.refusedPeers.increment();
            code[0] = TurnErrorCodes.FORBIDDEN;
            return "Forbidden: peer address refused by policy (" + v.category().name().toLowerCase() + ")";
        }
        if ((peerAddress.getAddress() instanceof Inet4Address) != (relayIp instanceof Inet4Address)) {
            code[0] = TurnErrorCodes.PEER_ADDRESS_FAMILY_MISMATCH;
            return "Peer Address Family Mismatch";
        }
        return null;
    }

    /**
     * Whether a peer transport address is this server itself: one of the node's own service ports (STUN/TURN,
     * gossip, web, metrics) or the allocation's own relayed address, on the relay IP or the address the client
     * reached us on. Relaying there would let any client reach the node's services from the inside, or loop.
     * Other ports on the same IP stay peers: another allocation's relayed address (two users of one relay talk
     * through it that way), or another program on the host when the policy allows its address.
     */
    private boolean ownService(InetSocketAddress peerAddress, StunClient client, Allocation a) {
        InetAddress ip = peerAddress.getAddress();
        if (!ip.equals(relayIp) && !ip.equals(client.local().getAddress())) {
            return false;
        }
        int port = peerAddress.getPort();
        return ownPort.test(port) || port == client.local().getPort() || port == a.relay().port();
    }

    public void onCreatePermission(StunMessage request, StunClient client) {
        OwnAllocation own = ownAllocation(request, client);
        if (own == null) {
            return;
        }
        Authenticator.Outcome auth = own.auth();
        Allocation a = own.allocation();
        List<InetSocketAddress> peers = new ArrayList<>();
        for (StunAttribute attr : request.attributes()) {
            if (attr.type() == AttributeType.XOR_PEER_ADDRESS && attr instanceof XorAddressAttribute x) {
                peers.add(x.address());
            }
        }
        if (peers.isEmpty()) {
            error(request, client, auth, ErrorCode.BAD_REQUEST, "Bad Request: XOR-PEER-ADDRESS missing");
            return;
        }
        if (peers.size() > settings.maxPeersPerRequest()) {
            error(request, client, auth, TurnErrorCodes.FORBIDDEN, "Forbidden: more than "
                    + settings.maxPeersPerRequest() + " XOR-PEER-ADDRESS in one request");
            return;
        }
        // All or nothing (RFC 8656 §10.2): check every address before installing any.
        int[] code = new int[1];
        Set<InetAddress> added = new HashSet<>();
        for (InetSocketAddress p : peers) {
            String reason = refusal(p, code);
            if (reason != null) {
                error(request, client, auth, code[0], reason);
                return;
            }
            if (!a.hasPermission(p.getAddress())) {
                added.add(p.getAddress());
            }
        }
        if (a.permissionCount() + added.size() > settings.maxPermissions()) {
            error(request, client, auth, TurnErrorCodes.INSUFFICIENT_CAPACITY, "Insufficient Capacity: at most "
                    + settings.maxPermissions() + " permissions per allocation");
            return;
        }
        long until = clock.getAsLong() + TurnSettings.PERMISSION_LIFETIME_SECONDS * 1000L;
        for (InetSocketAddress p : peers) {
            a.permit(p.getAddress(), until);
        }
        success(request, client, auth);
    }

    public void onChannelBind(StunMessage request, StunClient client) {
        OwnAllocation own = ownAllocation(request, client);
        if (own == null) {
            return;
        }
        Authenticator.Outcome auth = own.auth();
        Allocation a = own.allocation();
        ChannelNumber number = request.get(ChannelNumber.class);
        XorAddressAttribute address = null;
        for (StunAttribute attr : request.attributes()) {
            if (attr.type() == AttributeType.XOR_PEER_ADDRESS && attr instanceof XorAddressAttribute x) {
                address = x;
                break;
            }
        }
        if (number == null || address == null) {
            error(request, client, auth, ErrorCode.BAD_REQUEST, "Bad Request: CHANNEL-NUMBER and XOR-PEER-ADDRESS required");
            return;
        }
        int[] code = new int[1];
        String reason = refusal(address.address(), code);
        if (reason != null) {
            error(request, client, auth, code[0], reason);
            return;
        }
        if (ownService(address.address(), client, a)) {
            metrics.refusedPeers.increment();
            error(request, client, auth, TurnErrorCodes.FORBIDDEN, "Forbidden: peer is this server's own service");
            return;
        }
        if (!a.hasPermission(address.address().getAddress()) && a.permissionCount() >= settings.maxPermissions()) {
            error(request, client, auth, TurnErrorCodes.INSUFFICIENT_CAPACITY, "Insufficient Capacity: at most "
                    + settings.maxPermissions() + " permissions per allocation");
            return;
        }
        long now = clock.getAsLong();
        Allocation.BindResult r = a.bind(number.number(), address.address(),
                now + TurnSettings.CHANNEL_LIFETIME_SECONDS * 1000L, now + TurnSettings.PERMISSION_LIFETIME_SECONDS * 1000L);
        switch (r) {
            case OK -> success(request, client, auth);
            case BAD_NUMBER -> error(request, client, auth, ErrorCode.BAD_REQUEST, "Bad Request: channel number outside 0x4000-0x4FFF"
                    + (settings.legacyChannelNumbers() ? " (0x7FFF with legacy numbers)" : ""));
            case NUMBER_TAKEN -> error(request, client, auth, ErrorCode.BAD_REQUEST, "Bad Request: channel bound to another peer");
            case PEER_TAKEN -> error(request, client, auth, ErrorCode.BAD_REQUEST, "Bad Request: peer bound to another channel");
        }
    }

    // ---- data path -----------------------------------------------------------------------------------------

    /** Send indication (client → peer). Indications are never answered; bad ones are dropped and counted. */
    public void onSend(StunMessage indication, StunClient client) {
        Allocation a = table.get(client.fiveTuple());
        StunAttribute toAttr = indication.get(AttributeType.XOR_PEER_ADDRESS);
        Data data = indication.get(Data.class);
        if (a == null || !(toAttr instanceof XorAddressAttribute to) || data == null) {
            metrics.malformed.increment();
            return;
        }
        long now = clock.getAsLong();
        if (!a.permitted(to.address().getAddress(), now)) {
            metrics.noPermissionDrops.increment();
            return;
        }
        if (ownService(to.address(), client, a)) {
            metrics.refusedPeers.increment();
            return;
        }
        relayToPeer(a, io.netty.buffer.Unpooled.wrappedBuffer(data.value()), to.address());
    }

    /** ChannelData from the client: the fast path, one lookup and one write. */
    public void onChannelData(int channel, ByteBuf payload, StunClient client) {
        Allocation a = table.get(client.fiveTuple());
        if (a == null) {
            metrics.noPermissionDrops.increment();
            return;
        }
        Allocation.Channel c = a.channel(channel, clock.getAsLong());
        if (c == null) {
            metrics.noPermissionDrops.increment();
            return;
        }
        relayToPeer(a, payload.retain(), c.peer); // payload is a view of the received datagram
    }

    private void relayToPeer(Allocation a, ByteBuf payload, InetSocketAddress to) {
        int length = payload.readableBytes();
        if (!a.bandwidth().tryConsume(length, System.nanoTime())) {
            metrics.bandwidthDrops.increment();
            payload.release();
            return;
        }
        metrics.relayedPacketsToPeer.increment();
        metrics.relayedBytesToPeer.increment(length);
        a.relay().send(payload, to);
    }

    /** A datagram from a peer on a relayed address: ChannelData if a channel is bound, else a Data indication. */
    void onPeerData(UdpRelay relay, DatagramPacket packet) {
        Allocation a = relay.allocation();
        InetSocketAddress from = packet.sender();
        long now = clock.getAsLong();
        if (!a.permitted(from.getAddress(), now)) {
            metrics.noPermissionDrops.increment();
            return;
        }
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        if (!a.bandwidth().tryConsume(length, System.nanoTime())) {
            metrics.bandwidthDrops.increment();
            return;
        }
        StunClient client = relay.client();
        Allocation.Channel c = a.channelFor(from, now);
        if (c != null) {
            boolean stream = client.transport() == org.decwebrtc.stun.server.ClientTransport.TCP;
            int padded = stream ? (length + 3) & ~3 : length;
            ByteBuf frame = content.alloc().ioBuffer(4 + padded);
            frame.writeShort(c.number).writeShort(length);
            copy(content, frame, length);
            frame.writeZero(padded - length);
            client.send(frame);
        } else {
            byte[] bytes = new byte[length];
            content.getBytes(content.readerIndex(), bytes);
            StunMessage data = StunMessage.builder(MessageType.DATA, MessageType.INDICATION)
                    .add(XorAddressAttribute.peer(from)).add(new Data(bytes)).build();
            client.send(data, null);
        }
        metrics.relayedPacketsToClient.increment();
        metrics.relayedBytesToClient.increment(length);
    }

    /**
     * Appends {@code length} readable bytes of {@code src} to {@code dst}. Between two direct buffers this is one
     * memory copy; Netty's own writeBytes goes through a fresh NIO view of each buffer per packet.
     */
    private static void copy(ByteBuf src, ByteBuf dst, int length) {
        if (src.hasMemoryAddress() && dst.hasMemoryAddress()) {
            io.netty.util.internal.PlatformDependent.copyMemory(src.memoryAddress() + src.readerIndex(),
                    dst.memoryAddress() + dst.writerIndex(), length);
            dst.writerIndex(dst.writerIndex() + length);
        } else {
            dst.writeBytes(src, src.readerIndex(), length);
        }
    }

    // ---- housekeeping --------------------------------------------------------------------------------------

    /** Expires allocations, permissions, channels and reservations; ends allocations whose TCP client left. */
    public void sweep() {
        long now = clock.getAsLong();
        for (Allocation a : table.all()) {
            if (!a.relay().client().isOpen()) {
                table.remove(a);
            }
        }
        table.sweep(now);
        reservations.sweep(now);
    }

    public EventLoop loop() {
        return loop;
    }

    /** Ends every allocation (verticle undeploy). */
    public void closeAll() {
        table.all().forEach(table::remove);
        reservations.sweep(Long.MAX_VALUE);
    }
}
