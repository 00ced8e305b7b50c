package org.decwebrtc.turn.server;

import org.decwebrtc.stun.testing.AnswerRecordingClient;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.decwebrtc.stun.message.ErrorCode;
import org.decwebrtc.stun.message.MessageIntegrity;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.Nonce;
import org.decwebrtc.stun.message.Realm;
import org.decwebrtc.stun.message.StunKeys;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.StunParseException;
import org.decwebrtc.stun.message.Username;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.decwebrtc.stun.server.ClientTransport;
import org.decwebrtc.stun.server.FiveTuple;
import org.decwebrtc.stun.server.StunClient;
import org.decwebrtc.turn.TurnMetrics;
import org.decwebrtc.turn.TurnSettings;
import org.decwebrtc.turn.alloc.Allocation;
import org.decwebrtc.turn.alloc.AllocationTable;
import org.decwebrtc.turn.alloc.Quotas;
import org.decwebrtc.turn.alloc.Relay;
import org.decwebrtc.turn.alloc.RelayPortPool;
import org.decwebrtc.turn.auth.Authenticator;
import org.decwebrtc.turn.auth.CredentialStore;
import org.decwebrtc.turn.auth.NonceService;
import org.decwebrtc.turn.message.ChannelNumber;
import org.decwebrtc.turn.message.Data;
import org.decwebrtc.turn.message.EvenPort;
import org.decwebrtc.turn.message.Lifetime;
import org.decwebrtc.turn.message.RequestedAddressFamily;
import org.decwebrtc.turn.message.RequestedTransport;
import org.decwebrtc.turn.message.ReservationToken;
import org.decwebrtc.turn.message.TurnAttributes;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Correctly authenticated TURN requests with fuzzer-chosen methods and attributes (peer addresses of both
 * families, channel numbers, lifetimes, tokens, data) against a {@link TurnServer} holding one allocation: the
 * server may refuse anything, but it never throws, never answers 500, every answer decodes, and its limits hold
 * (permissions per allocation, channel range). Authentication comes first so the fuzzer spends its time past it.
 */
class TurnRequestFuzzTest {
    private static final String REALM = "decwebrtc";
    private static final byte[] KEY = StunKeys.longTerm("u", REALM, "p");
    private static final int[] METHODS = {MessageType.ALLOCATE, MessageType.REFRESH, MessageType.CREATE_PERMISSION,
            MessageType.CHANNEL_BIND, MessageType.SEND};

    private final AnswerRecordingClient client = new AnswerRecordingClient();
    private final FiveTuple tuple = client.fiveTuple();
    private final Relay relay = new Relay() {
        @Override
        public int port() {
            return 50000;
        }

        @Override
        public StunClient client() {
            return client;
        }

        @Override
        public void send(ByteBuf payload, InetSocketAddress peer) {
            payload.release();
        }

        @Override
        public void close(Runnable onClosed) {
            onClosed.run();
        }
    };
    private final TurnSettings settings;
    private final AllocationTable table;
    private final TurnServer server;
    private final String nonce;

    TurnRequestFuzzTest() throws UnknownHostException {
        TurnAttributes.register();
        settings = TurnSettings.of(org.decwebrtc.api.config.ConfigJson.fromJson(new JsonObject()
                .put("users", new JsonArray().add("u:p")).put("allowPeers", new JsonArray().add("127.0.0.0/8"))
                .put("maxPermissions", 50), org.decwebrtc.api.config.TurnConfig.DEFAULTS,
                org.decwebrtc.api.config.TurnConfig.class), "secret");
        RelayPortPool ports = new RelayPortPool(50000, 50099);
        Quotas quotas = new Quotas(20, 100);
        table = new AllocationTable(ports, quotas, 0, Allocation.CHANNEL_MAX_LEGACY);
        NonceService nonces = new NonceService(3600, System::currentTimeMillis);
        nonce = nonces.issue("192.0.2.1");
        Authenticator auth = new Authenticator(new CredentialStore(REALM, "secret", settings.users(),
                System::currentTimeMillis), nonces);
        TurnMetrics metrics = new TurnMetrics(new SimpleMeterRegistry(), "fuzz", quotas, ports);
        server = new TurnServer(settings, table, new Reservations(ports, quotas), auth, metrics, null, null,
                InetAddress.getByName("192.0.2.9"), System::currentTimeMillis);
    }

    private void ensureAllocation() {
        if (table.get(tuple) == null) {
            table.admit("u");
            table.ports().acquire(50000);
            table.add(tuple, "u", relay, System.currentTimeMillis() + 600_000, System.nanoTime());
        }
    }

    private static InetSocketAddress address(FuzzedDataProvider in) {
        byte[] ip = in.consumeBytes(in.consumeBoolean() ? 4 : 16);
        try {
            InetAddress a = ip.length == 4 || ip.length == 16 ? InetAddress.getByAddress(ip)
                    : InetAddress.getByAddress(new byte[]{127, 0, 0, 1});
            return new InetSocketAddress(a, in.consumeInt(0, 65535));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void authenticatedRequests(FuzzedDataProvider in) {
        ensureAllocation();
        client.clear();
        if (in.consumeBoolean()) {
            // ChannelData from the client, any channel, any payload.
            byte[] payload = in.consumeBytes(in.consumeInt(0, 1500));
            ByteBuf buf = Unpooled.wrappedBuffer(payload);
            try {
                server.onChannelData(in.consumeInt(0, 0xFFFF), buf, client);
            } finally {
                buf.release();
            }
            return;
        }
        int method = METHODS[in.consumeInt(0, METHODS.length - 1)];
        boolean indication = method == MessageType.SEND;
        StunMessage.Builder b = StunMessage.builder(method, indication ? MessageType.INDICATION : MessageType.REQUEST);
        int attributes = in.consumeInt(0, 8);
        for (int i = 0; i < attributes; i++) {
            switch (in.consumeInt(0, 8)) {
                case 0 -> b.add(XorAddressAttribute.peer(address(in)));
                case 1 -> b.add(new ChannelNumber(in.consumeInt(0, 0xFFFF)));
                case 2 -> b.add(new Lifetime(in.consumeLong(0, 0xFFFF_FFFFL)));
                case 3 -> b.add(new RequestedTransport(in.consumeInt(0, 255)));
                case 4 -> b.add(new EvenPort(in.consumeBoolean()));
                case 5 -> b.add(new ReservationToken(in.consumeLong()));
                case 6 -> b.add(new RequestedAddressFamily(in.consumeBoolean() ? RequestedAddressFamily.IPV4 : RequestedAddressFamily.IPV6));
                case 7 -> b.add(new Data(in.consumeBytes(in.consumeInt(0, 600))));
                default -> {
                    int peers = in.consumeInt(0, 120);
                    for (int p = 0; p < peers; p++) {
                        b.add(XorAddressAttribute.peer(address(in)));
                    }
                }
            }
        }
        if (!indication && in.consumeInt(0, 15) != 0) {
            b.add(new Username("u")).add(new Realm(REALM)).add(new Nonce(nonce)).add(MessageIntegrity.compute());
        }
        StunMessage request;
        try {
            request = StunMessage.decode(b.build().encode(KEY));
        } catch (StunParseException | IllegalArgumentException tooBig) {
            return; // more attributes than one message holds
        }
        switch (method) {
            case MessageType.ALLOCATE -> server.onAllocate(request, client);
            case MessageType.REFRESH -> server.onRefresh(request, client);
            case MessageType.CREATE_PERMISSION -> server.onCreatePermission(request, client);
            case MessageType.CHANNEL_BIND -> server.onChannelBind(request, client);
            default -> server.onSend(request, client);
        }
        for (StunMessage answer : client.answers()) {
            ErrorCode error = answer.get(ErrorCode.class);
            assertThat(error == null ? 0 : error.code()).isNotEqualTo(ErrorCode.SERVER_ERROR);
        }
        Allocation a = table.get(tuple);
        if (a != null) {
            assertThat(a.permissionCount()).isLessThanOrEqualTo(settings.maxPermissions());
            assertThat(a.channelCount()).isLessThanOrEqualTo(Allocation.CHANNEL_MAX_LEGACY - Allocation.CHANNEL_MIN + 1);
        }
    }
}
