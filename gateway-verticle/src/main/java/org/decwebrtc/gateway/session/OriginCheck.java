package org.decwebrtc.gateway.session;

import java.util.Locale;

/**
 * Cross-site WebSocket hijacking guard: a browser lets any web page open a WebSocket to any host, including this
 * gateway on 127.0.0.1, so only a page served by this very gateway ({@code https://<Host>}) may open the socket.
 */
public final class OriginCheck {
    private OriginCheck() {
    }

    public static boolean allowed(String origin, String host) {
        if (origin == null || host == null || origin.isBlank() || host.isBlank()) {
            return false;
        }
        return origin.trim().toLowerCase(Locale.ROOT).equals("https://" + host.trim().toLowerCase(Locale.ROOT));
    }
}
