package org.decwebrtc.gateway.ice;

import org.decwebrtc.api.HostPort;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A STUN or TURN URL as RFC 7064/7065 write it, {@code scheme:host:port[?transport=udp|tcp]}; anything else is not
 * handed to a browser, where one malformed entry makes {@code new RTCPeerConnection} throw.
 */
public record IceUrl(String scheme, HostPort hostPort, String transport) {
    private static final Pattern URL = Pattern.compile(
            "(stun|stuns|turn|turns):(\\[[0-9A-Fa-f:.]{2,45}]|[A-Za-z0-9.\\-]{1,253}):([0-9]{1,5})(?:\\?transport=(udp|tcp))?");

    public static Optional<IceUrl> parse(String text) {
        if (text == null || text.length() > 300) {
            return Optional.empty();
        }
        Matcher m = URL.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            HostPort hostPort = HostPort.parse(m.group(2) + ":" + m.group(3));
            return Optional.of(new IceUrl(m.group(1).toLowerCase(Locale.ROOT), hostPort, m.group(4)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public boolean isTurn() {
        return scheme.equals("turn") || scheme.equals("turns");
    }

    /** Same host (letter case aside) and port as {@code other}. */
    public boolean at(HostPort other) {
        return other != null && hostPort.port() == other.port() && hostPort.host().equalsIgnoreCase(other.host());
    }
}
