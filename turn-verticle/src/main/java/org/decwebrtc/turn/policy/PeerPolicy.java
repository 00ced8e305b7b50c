package org.decwebrtc.turn.policy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which peers a client may relay to. A public TURN server that relays to loopback or private ranges hands the
 * whole internet a way into the host and its LAN (CVE-2020-26262 is coturn letting 0.0.0.0 and [::] through),
 * so every such range is refused by default, each under a named setting, and an allow-list reopens ranges on
 * purpose (tests, LAN deployments). Addresses embedding an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64,
 * 6to4) are judged by the embedded IPv4 address, so the same host cannot be reached under another spelling.
 */
public final class PeerPolicy {

    /** Named blocks, in the order they are reported. */
    public enum Category {
        LOOPBACK("127.0.0.0/8", "::1/128"),
        UNSPECIFIED("0.0.0.0/8", "::/128"),
        PRIVATE("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"),
        LINK_LOCAL("169.254.0.0/16", "fe80::/10"),
        CGNAT("100.64.0.0/10"),
        MULTICAST("224.0.0.0/4", "ff00::/8", "255.255.255.255/32"),
        /** 240/4 and the IETF protocol block: never a legitimate media peer. */
        RESERVED("240.0.0.0/4", "192.0.0.0/24");

        final List<Cidr> blocks;

        Category(String... cidrs) {
            blocks = java.util.Arrays.stream(cidrs).map(Cidr::parse).toList();
        }
    }

    /** Why a peer was refused, or {@code null} when allowed. */
    public record Verdict(boolean allowed, Category category) {
        static final Verdict ALLOWED = new Verdict(true, null);
    }

    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private final List<Category> refused;
    private final List<Cidr> allowed;

    public PeerPolicy(Map<Category, Boolean> refuse, List<Cidr> allowList) {
        List<Category> r = new ArrayList<>();
        for (Category c : Category.values()) {
            if (refuse.getOrDefault(c, true)) {
                r.add(c);
            }
        }
        this.refused = List.copyOf(r);
        this.allowed = List.copyOf(allowList);
    }

    /** Defaults: every category refused, nothing allowed. */
    public static PeerPolicy defaults() {
        return new PeerPolicy(Map.of(), List.of());
    }

    public Verdict check(InetAddress peer) {
        byte[] raw = peer.getAddress();
        byte[] v4 = embeddedIpv4(raw);
        byte[] judged = v4 != null ? v4 : raw;
        for (Cidr c : allowed) {
            if (c.contains(judged) || c.contains(raw)) {
                return Verdict.ALLOWED;
            }
        }
        for (Category category : refused) {
            for (Cidr block : category.blocks) {
                if (block.contains(judged) || block.contains(raw)) {
                    return new Verdict(false, category);
                }
            }
        }
        return Verdict.ALLOWED;
    }

    public boolean allows(InetAddress peer) {
        return check(peer).allowed();
    }

    /** The IPv4 address hidden in an IPv6 one, or null. Java already folds ::ffff:a.b.c.d into Inet4Address. */
    static byte[] embeddedIpv4(byte[] a) {
        if (a.length != 16) {
            return null;
        }
        boolean zero10 = true;
        for (int i = 0; i < 10; i++) {
            zero10 &= a[i] == 0;
        }
        boolean mapped = zero10 && (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
        // IPv4-compatible ::a.b.c.d (deprecated, still routable by some stacks); :: and ::1 stay IPv6.
        boolean compat = zero10 && a[10] == 0 && a[11] == 0 && !(a[12] == 0 && a[13] == 0 && a[14] == 0 && (a[15] & 0xFE) == 0);
        if (mapped || compat || NAT64.contains(a)) {
            return java.util.Arrays.copyOfRange(a, 12, 16);
        }
        if (SIX_TO_FOUR.contains(a)) {
            return java.util.Arrays.copyOfRange(a, 2, 6);
        }
        return null;
    }
}
