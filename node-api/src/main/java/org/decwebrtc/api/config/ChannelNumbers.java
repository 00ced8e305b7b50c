package org.decwebrtc.api.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * Which TURN channel numbers a client may bind: RFC 8656's 0x4000-0x4FFF ({@code strict}), or also RFC 5766's
 * 0x5000-0x7FFF ({@code legacy}), which coturn's {@code turnutils_uclient}, pjnath and baresip still pick from.
 */
public enum ChannelNumbers {
    STRICT, LEGACY;

    @JsonCreator
    public static ChannelNumbers parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (ChannelNumbers c : values()) {
            if (c.toString().equals(t)) {
                return c;
            }
        }
        throw new IllegalArgumentException("expected strict or legacy, got '" + text + "'");
    }

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
