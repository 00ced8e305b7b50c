package org.decwebrtc.api;

/** Failure codes used in event-bus replies ({@code message.fail(code, text)}). */
public final class FailureCodes {
    private FailureCodes() {
    }

    public static final int BAD_REQUEST = 400;
    public static final int UNKNOWN_USER = 404;
    public static final int UNAVAILABLE = 503;
}
