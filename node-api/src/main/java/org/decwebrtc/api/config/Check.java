package org.decwebrtc.api.config;

import java.util.List;

/** The validations the config records share; each message names the flag, as the operator typed it. */
final class Check {
    private Check() {
    }

    /** 0 means "any free port" (tests, several nodes on one machine). */
    static int port(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(flag + " must be a port 0-65535, got " + port);
        }
        return port;
    }

    static int range(String flag, int value, int min, int max, String unit) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(flag + " must be " + min + "-" + max + unit + ", got " + value);
        }
        return value;
    }

    static int positive(String flag, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(flag + " must be > 0, got " + value);
        }
        return value;
    }

    static String text(String flag, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(flag + " must not be empty");
        }
        return value.trim();
    }

    static <T> List<T> list(List<T> value) {
        return value == null ? List.of() : List.copyOf(value);
    }
}
