package org.decwebrtc.api.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** An inclusive port range {@code min-max}, as written in {@code -relayPorts 49152-65535}. */
public record PortRange(int min, int max) {
    public PortRange {
        if (min < 1 || max > 65535 || min > max) {
            throw new IllegalArgumentException("port range must be 1 <= min <= max <= 65535, got " + min + "-" + max);
        }
    }

    /** Parses {@code a-b}; throws {@link IllegalArgumentException} with a message fit for a user. */
    @JsonCreator
    public static PortRange parse(String text) {
        String t = text == null ? "" : text.trim();
        if (!t.matches("\\d{1,5}-\\d{1,5}")) {
            throw new IllegalArgumentException("expected a port range a-b, got '" + t + "'");
        }
        int dash = t.indexOf('-');
        return new PortRange(Integer.parseInt(t.substring(0, dash)), Integer.parseInt(t.substring(dash + 1)));
    }

    public int size() {
        return max - min + 1;
    }

    @JsonValue
    @Override
    public String toString() {
        return min + "-" + max;
    }
}
