package org.decwebrtc.turn.it;

import org.decwebrtc.stun.message.ErrorCode;
import org.decwebrtc.stun.message.MessageIntegrity;
import org.decwebrtc.stun.message.MessageIntegritySha256;
import org.decwebrtc.stun.message.MessageType;
import org.decwebrtc.stun.message.Nonce;
import org.decwebrtc.stun.message.Realm;
import org.decwebrtc.stun.message.StunAttribute;
import org.decwebrtc.stun.message.StunKeys;
import org.decwebrtc.stun.message.StunMessage;
import org.decwebrtc.stun.message.Username;
import org.decwebrtc.stun.message.XorAddressAttribute;
import org.decwebrtc.turn.message.Lifetime;
import org.decwebrtc.turn.message.RequestedTransport;
import org.decwebrtc.turn.message.TurnAttributes;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.List;

/** A plain UDP TURN client for tests, on the project's STUN codec; one socket = one 5-tuple. */
public final class TurnTestClient implements AutoCloseable {
    public final DatagramSocket socket;
    private final InetSocketAddress server;
    public String realm;
    public String nonce;
    public String username;
    public byte[] key;
    public boolean sha256;

    static {
        TurnAttributes.register();
    }

    public TurnTestClient(int port) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        this.socket.setSoTimeout(500);
        this.server = new InetSocketAddress("127.0.0.1", port);
    }

    private String password;

    public TurnTestClient credentials(String username, String password) {
        this.username = username;
        this.password = password;
        this.key = realm == null ? null : StunKeys.longTerm(username, realm, password);
        return this;
    }

    /** Takes the realm and nonce another client learnt (nonces are per client IP), skipping the 401 round. */
    public TurnTestClient sharing(TurnTestClient primed) {
        this.realm = primed.realm;
        this.nonce = primed.nonce;
        return credentials(username, password);
    }

    /** Sends and waits for the response with the same transaction id (retransmits a few times). */
    public StunMessage transact(StunMessage request, byte[] signingKey) throws Exception {
        byte[] out = request.encode(signingKey);
        byte[] buf = new byte[2048];
        for (int attempt = 0; attempt < 6; attempt++) {
            socket.send(new DatagramPacket(out, out.length, server));
            long deadline = System.currentTimeMillis() + 500;
            while (System.currentTimeMillis() < deadline) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                if (p.getLength() >= 20 && (buf[0] & 0xC0) == 0) {
                    StunMessage m;
                    try {
                        m = StunMessage.decode(buf, 0, p.getLength());
                    } catch (org.decwebrtc.stun.message.StunParseException stray) {
                        continue; // not ours (a stray datagram to a reused port): keep waiting
                    }
                    if (Arrays.equals(m.transactionId(), request.transactionId())) {
                        return m;
                    }
                }
            }
        }
        throw new SocketTimeoutException("no response to " + request);
    }

    /** Builds a request of {@code method}, authenticated with the current realm/nonce/key if known. */
    public StunMessage request(int method, StunAttribute... attributes) {
        StunMessage.Builder b = StunMessage.builder(method, MessageType.REQUEST);
        for (StunAttribute a : attributes) {
            b.add(a);
        }
        if (key != null) {
            b.add(new Username(username)).add(new Realm(realm)).add(new Nonce(nonce));
            b.add(sha256 ? MessageIntegritySha256.compute() : MessageIntegrity.compute());
        }
        return b.build();
    }

    /** Sends, learning REALM/NONCE from a 401/438 and retrying once, as a real client does. */
    public StunMessage call(int method, StunAttribute... attributes) throws Exception {
        StunMessage r = transact(request(method, attributes), key);
        int code = errorCode(r);
        if ((code == 401 || code == 438) && password != null && r.get(Nonce.class) != null) {
            boolean hadKey = key != null;
            realm = r.get(Realm.class).value();
            nonce = r.get(Nonce.class).value();
            key = StunKeys.longTerm(username, realm, password);
            if (code == 438 || !hadKey) {
                r = transact(request(method, attributes), key);
            }
        }
        return r;
    }

    public StunMessage allocate(StunAttribute... extra) throws Exception {
        StunAttribute[] attrs = Arrays.copyOf(new StunAttribute[]{new RequestedTransport(17)}, 1 + extra.length);
        System.arraycopy(extra, 0, attrs, 1, extra.length);
        return call(MessageType.ALLOCATE, attrs);
    }

    public StunMessage allocate(long lifetimeSeconds) throws Exception {
        return allocate(new Lifetime(lifetimeSeconds));
    }

    public static InetSocketAddress relayed(StunMessage allocateResponse) {
        StunAttribute a = allocateResponse.get(org.decwebrtc.stun.message.AttributeType.XOR_RELAYED_ADDRESS);
        return ((XorAddressAttribute) a).address();
    }

    public StunMessage createPermission(String ip) throws Exception {
        return call(MessageType.CREATE_PERMISSION, XorAddressAttribute.peer(new InetSocketAddress(InetAddress.getByName(ip), 9)));
    }

    public static int errorCode(StunMessage m) {
        if (m.messageClass() != MessageType.ERROR) {
            return m.messageClass() == MessageType.SUCCESS ? 0 : -1;
        }
        ErrorCode e = m.get(ErrorCode.class);
        return e == null ? -1 : e.code();
    }

    public static boolean success(StunMessage m) {
        return m.messageClass() == MessageType.SUCCESS;
    }

    public static List<Integer> codes(StunMessage... ms) {
        return Arrays.stream(ms).map(TurnTestClient::errorCode).toList();
    }

    @Override
    public void close() {
        socket.close();
    }
}
