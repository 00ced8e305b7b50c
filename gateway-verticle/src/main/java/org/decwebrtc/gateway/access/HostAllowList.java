package org.decwebrtc.gateway.access;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * DNS rebinding guard: a page of evil.example whose name the attacker re-points at 127.0.0.1 talks to this
 * gateway as "same origin", but its requests say {@code Host: evil.example}. Only names the user reaches the
 * gateway by are accepted: localhost, 127.0.0.1, [::1], the address the GUI is bound to (every local address
 * when it is bound to all), and the names given with {@code -guiHosts}.
 */
public final class HostAllowList {
    private final Set<String> hosts;

    public HostAllowList(String guiBind, Collection<String> extraHosts) {
        Set<String> allowed = new HashSet<>(Set.of("localhost", "127.0.0.1", "::1"));
        if (guiBind != null && !guiBind.isBlank()) {
            if (guiBind.equals("0.0.0.0") || guiBind.equals("::")) {
                allowed.addAll(localAddresses());
            } else {
                allowed.add(normalize(guiBind));
            }
        }
        for (String host : extraHosts) {
            if (host != null && !host.isBlank()) {
                allowed.add(normalize(host));
            }
        }
        hosts = Set.copyOf(allowed);
    }

    /** @param hostHeader the request's Host header ({@code name}, {@code name:port}, {@code [v6]:port}) */
    public boolean allowed(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank() || hostHeader.length() > 300) {
            return false;
        }
        return hosts.contains(normalize(withoutPort(hostHeader.trim())));
    }

    public Set<String> hosts() {
        return hosts;
    }

    static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        // One colon: name:port. More: a bare IPv6 address (not valid in Host, but then it simply won't match).
        return colon >= 0 && colon == host.lastIndexOf(':') ? host.substring(0, colon) : host;
    }

    static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1); // "localhost." is "localhost"
        }
        h = h.replaceAll("%.*$", ""); // an interface's scope id is no part of the name
        if (h.contains(":")) {
            // One spelling per IPv6 address ("0:0:0:0:0:0:0:1" is "::1"); parsed without any name lookup.
            byte[] bytes = io.netty.util.NetUtil.createByteArrayFromIpAddressString(h);
            if (bytes != null && bytes.length == 16) {
                try {
                    h = compressV6(InetAddress.getByAddress(bytes).getHostAddress());
                } catch (java.net.UnknownHostException e) {
                    return h;
                }
            }
        }
        return h;
    }

    /** RFC 5952 text of a full {@code a:b:c:d:e:f:g:h} address: the longest run of zero groups becomes "::". */
    static String compressV6(String full) {
        String[] groups = full.split(":");
        if (groups.length != 8) {
            return full;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (!groups[i].equals("0")) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        if (bestStart < 0) {
            return full;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, 8));
        return head + "::" + tail;
    }

    private static Set<String> localAddresses() {
        Set<String> found = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    found.add(normalize(address.getHostAddress()));
                }
            }
        } catch (SocketException e) {
            // no interfaces listed: loopback names still work
        }
        return found;
    }
}
