package org.decwebrtc.stun.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Set;

/**
 * The address a node tells others to reach its STUN/TURN port at. A socket bound to a wildcard is reachable on
 * every interface, but a browser needs one concrete address: the first non-loopback IPv4 of an interface that
 * is up, else loopback (a node alone on a laptop).
 */
public final class AdvertisedHost {
    private static final Set<String> WILDCARDS = Set.of("", "0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0");

    private AdvertisedHost() {
    }

    public static String choose(String bind) {
        String trimmed = bind == null ? "" : bind.trim();
        if (!WILDCARDS.contains(trimmed)) {
            return trimmed.startsWith("[") ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()
                            && !address.isLinkLocalAddress()) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // No interface list (sandbox): loopback is the only safe answer.
        }
        return "127.0.0.1";
    }
}
