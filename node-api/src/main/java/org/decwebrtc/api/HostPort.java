package org.decwebrtc.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.regex.Pattern;

/**
 * A validated {@code host:port} (IPv4, {@code [IPv6]} or a host name), as typed in {@code -peers} or the UI. The
 * host is kept bare (an IPv6 address without brackets); {@link #toString()} is the one place that adds them.
 */
public record HostPort(String host, int port) {
    private static final Pattern NAME_OR_IPV4 = Pattern.compile("[A-Za-z0-9.\\-]{1,253}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** @throws IllegalArgumentException for a port outside 1-65535 or a host that is neither a name nor an address */
    public HostPort {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1-65535: " + port);
        }
        if (host == null || !(NAME_OR_IPV4.matcher(host).matches() || IPV6.matcher(host).matches() && host.contains(":"))) {
            throw new IllegalArgumentException("bad host '" + host + "'");
        }
    }

    /** A host as a socket or the config spells it, with or without brackets around an IPv6 address. */
    public static HostPort of(String host, int port) {
        String bare = host != null && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return new HostPort(bare, port);
    }

    /** Parses {@code ip:port} or {@code [ipv6]:port}; throws {@link IllegalArgumentException} with a message fit for a user. */
    @JsonCreator
    public static HostPort parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException("expected ip:port, got '" + trimmed + "'");
        }
        String host = trimmed.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        if (!bracketed && host.contains(":") || !bracketed && (host.contains("[") || host.contains("]"))) {
            throw new IllegalArgumentException("bad host in '" + trimmed + "' (write an IPv6 address as [addr]:port)");
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + trimmed + "'");
        }
        try {
            return of(host, port);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad host or port in '" + trimmed + "': " + e.getMessage());
        }
    }

    @JsonValue
    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
