package org.decwebrtc.stun.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The network a source address belongs to, as far as per-source limits care: an IPv4 /24 or an IPv6 /64. One
 * host rarely owns more than that, so an attacker cannot dodge a limit by cycling through its own addresses.
 */
final class SourcePrefix {
    private SourcePrefix() {
    }

    static InetAddress of(InetAddress address) {
        byte[] bytes = address.getAddress();
        int keep = address instanceof Inet4Address ? 3 : 8;
        Arrays.fill(bytes, keep, bytes.length, (byte) 0);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }
}
