package org.decwebrtc.api;

import java.util.regex.Pattern;

/** A validated {@code host:port} (IPv4, {@code [IPv6]} or a host name), as typed in {@code -peers} or the UI. */
public record HostPort(String host, int port) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]+]");

    public HostPort {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range 1-65535: " + port);
        }
    }

    /** Parses {@code ip:port}; throws {@link IllegalArgumentException} with a message fit for a user. */
    public static HostPort parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new IllegalArgumentException("expected ip:port, got '" + trimmed + "'");
        }
        String host = trimmed.substring(0, colon);
        if (!HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("bad host in '" + trimmed + "'");
        }
        int port;
        try {
            port = Integer.parseInt(trimmed.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + trimmed + "'");
        }
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
